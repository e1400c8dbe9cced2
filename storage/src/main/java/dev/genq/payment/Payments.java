package dev.genq.payment;

import dev.genq.account.Chargebacks;
import dev.genq.activity.ActivityLog;
import dev.genq.activity.Source;
import dev.genq.error.GenqException;
import dev.genq.ledger.Coins;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerResult;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Top-ups from payment gateways. A notice credits the wallet only what the payment is worth at its
 * new status beyond what it already credited, under a transfer id derived from the notice, so a
 * replay changes nothing and a late, older notice never moves a payment back (invariant I4). What
 * is worth coins is what was paid, at the rate recorded when the payment was created; a payment
 * paid in another currency or amount than it was created for is credited only what was paid (or
 * nothing, for another currency) and flagged for review.
 */
@Singleton
public class Payments {
    private static final Logger LOG = LoggerFactory.getLogger(Payments.class);
    private final PaymentRepository payments;
    private final Ledger ledger;
    private final PaymentRates rates;
    private final Chargebacks chargebacks;
    private final ActivityLog activity;
    private final UnmatchedPaymentRepository unmatched;

    Payments(PaymentRepository payments, Ledger ledger, PaymentRates rates, Chargebacks chargebacks, ActivityLog activity,
             UnmatchedPaymentRepository unmatched) {
        this.unmatched = unmatched;
        this.payments = payments;
        this.ledger = ledger;
        this.rates = rates;
        this.chargebacks = chargebacks;
        this.activity = activity;
    }

    /** A top-up about to be created at a gateway: its id, its integer number, and the price. */
    public record Draft(UUID id, long number, UUID accountId, String provider, BigDecimal amount, String currency, BigDecimal coinsPerUnit,
                        long coins, @Nullable String returnUrl, @Nullable UUID keyId) {
    }

    /**
     * Prices a top-up: either {@code coins} (the amount is what buys at least that many, rounded up
     * to the currency's cents) or an {@code amount}; the rate in force is recorded with it.
     */
    public Draft draft(UUID accountId, String provider, @Nullable Long coins, @Nullable BigDecimal amount, String currency,
                       @Nullable String returnUrl, @Nullable UUID keyId) {
        BigDecimal rate = rates.require(currency);
        BigDecimal price = amount != null ? amount
            : BigDecimal.valueOf(coins).divide(rate, 2, java.math.RoundingMode.UP).max(new BigDecimal("0.01"));
        long bought = Coins.of(price, rate, "amount");
        if (bought <= 0) {
            throw new GenqException(dev.genq.error.ErrorCode.INVALID_REQUEST, "'amount' " + price.toPlainString() + " " + currency
                + " buys no whole coin at " + rate.toPlainString() + " coins per unit");
        }
        return new Draft(UUID.randomUUID(), payments.nextNumber(), accountId, provider, price, currency.toUpperCase(java.util.Locale.ROOT),
            rate, bought, returnUrl, keyId);
    }

    /** Records a top-up the gateway has created; only then does genq know it, so a gateway failure leaves nothing behind. */
    @Transactional
    public Payment created(Draft d, String gatewayPaymentId, String paymentUrl, Source source) {
        payments.create(d.provider(), gatewayPaymentId, d.accountId(), d.id(), d.number(), d.amount(), d.currency(), d.coinsPerUnit(),
            d.coins(), d.returnUrl(), paymentUrl, d.keyId());
        activity.record(d.accountId(), d.keyId() == null ? "account" : "key:" + d.keyId(), "topup.created",
            d.provider() + " " + d.amount().toPlainString() + " " + d.currency() + " for " + d.coins() + " coins (top-up " + d.id() + ")", source);
        return payments.findByTopupId(d.id()).orElseThrow();
    }

    public Optional<Payment> topup(UUID id) {
        return payments.findByTopupId(id);
    }

    public List<Payment> topups(UUID accountId, int limit) {
        return payments.ofAccount(accountId, limit);
    }

    /** Applies a verified notice; a reversal of a paid top-up then takes the chargeback path for its account. */
    public PaymentOutcome handle(PaymentNotice notice) {
        Applied applied = apply(notice);
        if (applied.reversedCredit()) {
            chargebacks.apply(applied.accountId(), notice.ref(), notice.provider() + " reports the payment " + notice.status(),
                "gateway:" + notice.provider(), Source.NONE);
        }
        return applied.outcome();
    }

    /** {@code reversedCredit}: this notice took back money that had been credited, which is a chargeback. */
    record Applied(PaymentOutcome outcome, @Nullable UUID accountId, boolean reversedCredit) {
    }

    @Transactional
    protected Applied apply(PaymentNotice n) {
        Optional<Payment> found = find(n);
        if (found.isEmpty()) {
            LOG.warn("{} notice about {} names no payment genq created; nothing credited, kept for review", n.provider(), n.ref());
            payments.unmatched(n.provider(), n.paymentId() != null ? n.paymentId() : "order:" + n.orderRef(), n.status(),
                n.paid() == null ? null : n.paid().toPlainString(), n.paidCurrency());
            return new Applied(new PaymentOutcome(false, 0, n.status(), false), null, false);
        }
        Payment p = found.get();
        if (n.rank() <= p.statusRank()) {
            return new Applied(new PaymentOutcome(false, 0, p.status(), true), p.accountId(), false); // a replay, or older news than we have
        }
        String review = null;
        long worth = p.creditedCoins();
        if (n.paid() != null && (n.outcome() == PaymentNotice.Outcome.PAID || n.outcome() == PaymentNotice.Outcome.PARTIALLY_PAID)) {
            String created = p.currency() != null ? p.currency() : n.paidCurrency();
            if (n.paidCurrency() != null && created != null && !n.paidCurrency().equalsIgnoreCase(created)) {
                review = "paid in " + n.paidCurrency() + " but created in " + created + "; nothing credited";
            } else {
                BigDecimal rate = p.coinsPerUnit() != null ? p.coinsPerUnit() : rates.require(created == null ? "" : created);
                worth = Math.max(worth, Coins.of(n.paid(), rate, "paid amount"));
                if (n.outcome() == PaymentNotice.Outcome.PAID && p.amount() != null && n.paid().compareTo(p.amount()) != 0) {
                    review = "paid " + n.paid().toPlainString() + " " + created + " of " + p.amount().stripTrailingZeros().toPlainString()
                        + "; credited what was paid";
                }
            }
        }
        long credit = Math.max(0, worth - p.creditedCoins());
        if (credit > 0) {
            LedgerResult result = ledger.credit(Ledger.derivedId("payment:" + p.ref() + ":" + n.status()), p.accountId(), credit, p.ref());
            if (result != LedgerResult.OK) {
                throw new IllegalStateException("crediting payment " + p.ref() + " answered " + result);
            }
        }
        String state = n.outcome() == PaymentNotice.Outcome.PENDING && p.creditedCoins() + credit > 0 ? p.state()
            : n.outcome().name().toLowerCase(java.util.Locale.ROOT);
        payments.advance(p.provider(), p.paymentId(), n.status(), n.rank(), credit, state, n.paid(), n.paidCurrency(), review);
        if (review != null) {
            LOG.warn("payment {} flagged for review: {}", p.ref(), review);
        }
        LOG.info("payment {} is {}: credited {} coins to account {}", p.ref(), n.status(), credit, p.accountId());
        activity.record(p.accountId(), "gateway:" + n.provider(), "topup." + state,
            p.ref() + " " + n.status() + ", credited " + credit + " coins" + (review == null ? "" : "; review: " + review), Source.NONE);
        return new Applied(new PaymentOutcome(true, credit, n.status(), true), p.accountId(),
            n.outcome() == PaymentNotice.Outcome.REVERSED && p.creditedCoins() > 0);
    }

    private Optional<Payment> find(PaymentNotice n) {
        Optional<Payment> byGatewayId = n.paymentId() == null ? Optional.empty() : payments.lock(n.provider(), n.paymentId());
        if (byGatewayId.isPresent() || n.orderRef() == null) {
            return byGatewayId;
        }
        try {
            return payments.lockById(n.provider(), UUID.fromString(n.orderRef()));
        } catch (IllegalArgumentException notUuid) {
            try {
                return payments.lockByNumber(n.provider(), Long.parseLong(n.orderRef()));
            } catch (NumberFormatException neither) {
                return Optional.empty();
            }
        }
    }

    /** Payments whose notification disagreed with what was created (newest first), for finance to settle. */
    public List<Payment> flagged(int limit) {
        return payments.flagged(limit);
    }

    /** Notifications about payments genq never created (newest first). */
    public List<UnmatchedPayment> unmatched(int limit) {
        return unmatched.newest(limit);
    }

    /** Forgets the personal fields of an erased account's payments; amounts stay (billing records). */
    public int forgetPersonal(UUID accountId) {
        return payments.forgetPersonal(accountId);
    }
}
