package dev.genq.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** One immutable ledger row: coins move from the debit account to the credit account. */
@Serdeable
@MappedEntity("ledger_transfer")
public record Transfer(@Id UUID id,
                       UUID debitAccountId,
                       UUID creditAccountId,
                       long amountCoins,
                       TransferKind kind,
                       @Nullable UUID pendingId,
                       @Nullable Instant expiresAt,
                       TransferReason reason,
                       @Nullable String memo,
                       @Nullable String actor,
                       @Nullable String externalRef,
                       @GeneratedValue Instant createdAt) {

    static Transfer single(UUID id, UUID debit, UUID credit, long amount, TransferReason reason,
                           @Nullable String memo, @Nullable String actor, @Nullable String externalRef) {
        return new Transfer(id, debit, credit, amount, TransferKind.SINGLE, null, null, reason, memo, actor, externalRef, null);
    }

    static Transfer pending(UUID id, UUID debit, UUID credit, long amount, Instant expiresAt) {
        return new Transfer(id, debit, credit, amount, TransferKind.PENDING, null, expiresAt,
            TransferReason.GENERATION_RESERVE, null, null, null, null);
    }

    static Transfer resolving(Transfer pending, TransferKind kind, long amount, TransferReason reason) {
        return new Transfer(Ledger.resolutionId(pending.id()), pending.debitAccountId(), pending.creditAccountId(), amount,
            kind, pending.id(), null, reason, null, null, null, null);
    }

    /** Same operation, ignoring when it was recorded: tells a replay from a conflicting reuse of an id. */
    boolean sameOperationAs(Transfer other) {
        return debitAccountId.equals(other.debitAccountId) && creditAccountId.equals(other.creditAccountId)
            && amountCoins == other.amountCoins && kind == other.kind && Objects.equals(pendingId, other.pendingId);
    }
}
