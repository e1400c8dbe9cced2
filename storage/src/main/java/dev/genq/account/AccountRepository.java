package dev.genq.account;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AccountRepository extends CrudRepository<Account, UUID> {

    /** Blocks once: the first reason stands. */
    @Query("UPDATE account SET blocked_at = now(), blocked_reason = :reason WHERE id = :id AND blocked_at IS NULL")
    int block(UUID id, String reason);

    /**
     * Serialises changes to one account's keys until the transaction ends. An advisory lock, not the
     * account row's: submits hold that row's KEY SHARE lock and must not wait on key changes.
     */
    @Query("SELECT pg_advisory_xact_lock(hashtextextended('account-keys:' || CAST(:id AS text), 0)) IS NULL")
    boolean lockKeys(UUID id);
}
