package dev.genq.api.admin;

import dev.genq.api.auth.AdminAccess;
import dev.genq.http.ErrorResponses;
import dev.genq.payment.Payment;
import dev.genq.payment.Payments;
import dev.genq.payment.UnmatchedPayment;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What finance settles by hand: payments flagged for review and notifications about payments genq never created. */
@ErrorResponses
@Controller("/admin/v1/payments")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminPaymentController {
    private static final int LIMIT = 200;
    private final Payments payments;

    AdminPaymentController(Payments payments) {
        this.payments = payments;
    }

    @Serdeable
    record Flagged(String provider, String paymentId, @Nullable UUID topupId, UUID accountId, String state, @Nullable String amount,
                   @Nullable String currency, @Nullable String paidAmount, @Nullable String paidCurrency, long creditedCoins,
                   String reviewReason, Instant updatedAt) {
        static Flagged of(Payment p) {
            return new Flagged(p.provider(), p.paymentId(), p.id(), p.accountId(), p.state(), plain(p.amount()), p.currency(),
                plain(p.paidAmount()), p.paidCurrency(), p.creditedCoins(), p.reviewReason(), p.updatedAt());
        }

        @Nullable
        private static String plain(@Nullable java.math.BigDecimal amount) {
            return amount == null ? null : amount.stripTrailingZeros().toPlainString();
        }
    }

    @Serdeable
    record Review(List<Flagged> flagged, List<UnmatchedPayment> unmatched) {
    }

    /** The newest 200 of each. */
    @Get("/review")
    @AdminAccess(AdminRole.SUPPORT)
    Review review() {
        return new Review(payments.flagged(LIMIT).stream().map(Flagged::of).toList(), payments.unmatched(LIMIT));
    }
}
