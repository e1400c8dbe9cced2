package dev.genq.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An account's ledger as its owner reads it: each transfer of the wallet as one line saying what
 * happened (a top-up, an adjustment, a hold for a generation, its charge, fee or refund, a
 * forfeit), for how many coins, what it did to the spendable balance, and which generation or
 * payment it belongs to. The lines' balance effects add up to the balance: a hold takes the price
 * out at once, and its charge gives back what was not charged.
 */
@Singleton
public class Statement {
    private final TransferRepository transfers;

    Statement(TransferRepository transfers) {
        this.transfers = transfers;
    }

    /** One statement line; {@code amountCoins} is what moved, {@code balanceEffectCoins} what it did to the spendable balance. */
    @Serdeable
    public record Line(UUID id, String type, long amountCoins, long balanceEffectCoins, @Nullable UUID generationId,
                       @Nullable String paymentRef, Instant createdAt) {
    }

    /** Newest first, strictly before the (createdAt, id) position; reads the page, then its resolutions' reservations at once. */
    public List<Line> page(UUID accountId, Instant beforeCreatedAt, UUID beforeId, int limit) {
        List<Transfer> page = transfers.findPage(accountId, beforeCreatedAt, beforeId, limit);
        List<UUID> pendingIds = page.stream().map(Transfer::pendingId).filter(Objects::nonNull).toList();
        Map<UUID, Transfer> holds = pendingIds.isEmpty() ? Map.of()
            : transfers.findPendings(pendingIds).stream().collect(Collectors.toMap(Transfer::id, Function.identity()));
        return page.stream().map(t -> line(accountId, t, t.pendingId() == null ? null : holds.get(t.pendingId()))).toList();
    }

    private static Line line(UUID accountId, Transfer t, @Nullable Transfer hold) {
        long signed = t.creditAccountId().equals(accountId) ? t.amountCoins() : -t.amountCoins();
        return switch (t.kind()) {
            case PENDING -> new Line(t.id(), "hold", t.amountCoins(), -t.amountCoins(), t.id(), null, t.createdAt());
            case POST_PENDING -> new Line(t.id(), t.reason() == TransferReason.GENERATION_FAILURE_FEE ? "fee" : "charge", t.amountCoins(),
                (hold == null ? t.amountCoins() : hold.amountCoins()) - t.amountCoins(), t.pendingId(), null, t.createdAt());
            case VOID_PENDING -> new Line(t.id(), "refund", t.amountCoins(), t.amountCoins(), t.pendingId(), null, t.createdAt());
            case SINGLE -> new Line(t.id(), switch (t.reason()) {
                case TOPUP -> "topup";
                case CHARGEBACK_FORFEIT -> "forfeit";
                default -> "adjustment";
            }, t.amountCoins(), signed, null, t.reason() == TransferReason.TOPUP ? t.externalRef() : null, t.createdAt());
        };
    }
}
