package dev.genq.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TransferRepository extends GenericRepository<Transfer, UUID> {

    /** Inserts unless the id, or a resolution of the same pending transfer, exists; returns rows inserted. */
    @Query("""
        INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount_coins, kind, pending_id, expires_at, reason)
        VALUES (:id, :debitAccountId, :creditAccountId, :amountCoins, :kind, :pendingId, :expiresAt, :reason)
        ON CONFLICT DO NOTHING""")
    int insertIfAbsent(UUID id, UUID debitAccountId, UUID creditAccountId, long amountCoins, TransferKind kind,
                       @Nullable UUID pendingId, @Nullable Instant expiresAt, TransferReason reason);

    Optional<Transfer> findById(UUID id);

    @Query("SELECT * FROM ledger_transfer WHERE pending_id = :pendingId")
    Optional<Transfer> findResolutionOf(UUID pendingId);

    @Query("SELECT * FROM ledger_transfer WHERE debit_account_id = :accountId OR credit_account_id = :accountId ORDER BY created_at, id")
    List<Transfer> findByAccount(UUID accountId);
}
