package dev.genq.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AccountRepository extends CrudRepository<Account, UUID> {

    /**
     * Serialises state changes of one account until the transaction ends. An advisory lock, not the
     * row's: submits hold the row's KEY SHARE lock and must not wait on a state change (nor it on them).
     */
    @Query("SELECT pg_advisory_xact_lock(hashtextextended('account-state:' || CAST(:id AS text), 0)) IS NULL")
    boolean lockState(UUID id);

    @Query("""
        UPDATE account SET state = :to, state_reason = :reason, state_changed_at = now(),
               closed_at = CASE WHEN :to = 'closed' THEN now() ELSE closed_at END
        WHERE id = :id AND state = :from""")
    int changeState(UUID id, String from, String to, String reason);

    @Query("INSERT INTO account_state_change (account_id, from_state, to_state, reason, actor) VALUES (:id, :from, :to, :reason, :actor)")
    void recordChange(UUID id, String from, String to, String reason, String actor);

    @Query("UPDATE account SET name = :name, email = :email, phone = :phone WHERE id = :id AND state <> 'closed'")
    int rectify(UUID id, String name, @Nullable String email, @Nullable String phone);

    /**
     * Serialises changes to one account's keys until the transaction ends. An advisory lock, not the
     * account row's: submits hold that row's KEY SHARE lock and must not wait on key changes.
     */
    @Query("SELECT pg_advisory_xact_lock(hashtextextended('account-keys:' || CAST(:id AS text), 0)) IS NULL")
    boolean lockKeys(UUID id);
}
