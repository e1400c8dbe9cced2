package dev.genq.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** One immutable ledger row: coins move from the debit account to the credit account. */
@MappedEntity("ledger_transfer")
public record Transfer(@Id UUID id,
                       UUID debitAccountId,
                       UUID creditAccountId,
                       long amountCoins,
                       TransferKind kind,
                       @Nullable UUID pendingId,
                       @Nullable Instant expiresAt,
                       TransferReason reason,
                       @GeneratedValue Instant createdAt) {

    static Transfer of(UUID id, UUID debit, UUID credit, long amount, TransferKind kind,
                       @Nullable UUID pendingId, @Nullable Instant expiresAt, TransferReason reason) {
        return new Transfer(id, debit, credit, amount, kind, pendingId, expiresAt, reason, null);
    }

    /** Same operation, ignoring when it was recorded: tells a replay from a conflicting reuse of an id. */
    boolean sameOperationAs(Transfer other) {
        return debitAccountId.equals(other.debitAccountId) && creditAccountId.equals(other.creditAccountId)
            && amountCoins == other.amountCoins && kind == other.kind
            && java.util.Objects.equals(pendingId, other.pendingId);
    }
}
