package dev.genq.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TransferRepository extends GenericRepository<Transfer, UUID> {

    /** Inserts unless the id, or a resolution of the same pending transfer, exists; returns rows inserted. */
    @Query("""
        INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount_coins, kind, pending_id, expires_at,
                                     reason, memo, actor, external_ref)
        VALUES (:id, :debitAccountId, :creditAccountId, :amountCoins, :kind, :pendingId, :expiresAt, :reason, :memo, :actor, :externalRef)
        ON CONFLICT DO NOTHING""")
    int insertIfAbsent(UUID id, UUID debitAccountId, UUID creditAccountId, long amountCoins, TransferKind kind,
                       @Nullable UUID pendingId, @Nullable Instant expiresAt, TransferReason reason, @Nullable String memo,
                       @Nullable String actor, @Nullable String externalRef);

    default boolean insertIfAbsent(Transfer t) {
        return insertIfAbsent(t.id(), t.debitAccountId(), t.creditAccountId(), t.amountCoins(), t.kind(), t.pendingId(),
            t.expiresAt(), t.reason(), t.memo(), t.actor(), t.externalRef()) == 1;
    }

    Optional<Transfer> findById(UUID id);

    /** Moves an open reservation's expiry to {@code until} when that is later; 0 when it is resolved (or none). */
    @Query("""
        UPDATE ledger_transfer p SET expires_at = greatest(p.expires_at, :until)
        WHERE p.id = :pendingId AND p.kind = 'PENDING'
          AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = p.id)""")
    int extendOpen(UUID pendingId, Instant until);

    @Query("SELECT * FROM ledger_transfer WHERE pending_id = :pendingId")
    Optional<Transfer> findResolutionOf(UUID pendingId);

    /** The reservations among {@code ids} (a statement page's resolutions name theirs). */
    @Query("SELECT * FROM ledger_transfer WHERE id IN (:ids) AND kind = 'PENDING'")
    List<Transfer> findPendings(Collection<UUID> ids);

    /** Newest first, strictly before the (createdAt, id) position. */
    @Query("""
        SELECT * FROM ledger_transfer
        WHERE (debit_account_id = :accountId OR credit_account_id = :accountId) AND (created_at, id) < (:createdAt, :id)
        ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<Transfer> findPage(UUID accountId, Instant createdAt, UUID id, int limit);
}
