package dev.genq.idempotency;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface IdempotencyRepository extends GenericRepository<IdempotencyRecord, String> {

    @Query("""
        INSERT INTO idempotency_key (scope, key, request_hash, owner, state) VALUES (:scope, :key, :requestHash, :owner, 'STARTED')
        ON CONFLICT DO NOTHING""")
    int insertIfAbsent(String scope, String key, String requestHash, UUID owner);

    @Query("SELECT * FROM idempotency_key WHERE scope = :scope AND key = :key")
    Optional<IdempotencyRecord> find(String scope, String key);

    @Query("""
        UPDATE idempotency_key SET owner = :owner, locked_at = now()
        WHERE scope = :scope AND key = :key AND state = 'STARTED' AND owner = :previousOwner AND locked_at < :staleBefore""")
    int takeOver(String scope, String key, UUID previousOwner, UUID owner, Instant staleBefore);

    @Query("""
        UPDATE idempotency_key SET state = 'COMPLETED', response_status = :status, response_body = :body
        WHERE scope = :scope AND key = :key AND owner = :owner AND state = 'STARTED'""")
    int complete(String scope, String key, UUID owner, int status, @Nullable String body);

    @Query("DELETE FROM idempotency_key WHERE scope = :scope AND key = :key AND owner = :owner AND state = 'STARTED'")
    int release(String scope, String key, UUID owner);

    @Query("DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM idempotency_key WHERE created_at < :before LIMIT :limit)")
    int deleteOlderThan(Instant before, int limit);
}
