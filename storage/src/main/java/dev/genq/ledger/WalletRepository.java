package dev.genq.ledger;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;
import java.util.UUID;

/**
 * Conditional counter updates; each returns the rows changed, and 0 means the condition failed.
 * Debits are guarded by the balance and by the absence of their transfer, so a replay never
 * debits twice even before the transfer row is written.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface WalletRepository extends GenericRepository<Wallet, UUID> {

    @Query("INSERT INTO wallet (account_id) VALUES (:accountId) ON CONFLICT DO NOTHING")
    int open(UUID accountId);

    Optional<Wallet> findById(UUID accountId);

    @Query("SELECT * FROM wallet WHERE account_id = :accountId FOR UPDATE")
    Optional<Wallet> lock(UUID accountId);

    @Query("UPDATE wallet SET credits_posted = credits_posted + :amount, updated_at = now() WHERE account_id = :accountId")
    int credit(UUID accountId, long amount);

    @Query("""
        UPDATE wallet SET debits_posted = debits_posted + :amount, updated_at = now()
        WHERE account_id = :accountId AND credits_posted - debits_posted - debits_pending >= :amount
          AND NOT EXISTS (SELECT 1 FROM ledger_transfer WHERE id = :transferId)""")
    int debitIfNew(UUID accountId, long amount, UUID transferId);

    @Query("""
        UPDATE wallet SET debits_pending = debits_pending - :pending, debits_posted = debits_posted + :posted, updated_at = now()
        WHERE account_id = :accountId AND debits_pending >= :pending""")
    int resolve(UUID accountId, long pending, long posted);

    @Query("UPDATE wallet SET blocked = :blocked, updated_at = now() WHERE account_id = :accountId")
    int block(UUID accountId, boolean blocked);
}
