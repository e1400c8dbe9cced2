package dev.genq.account;

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
public interface ApiKeyRepository extends GenericRepository<ApiKey, UUID> {
    String ACTIVE = "k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())";

    ApiKey save(ApiKey key);

    @Query("SELECT k.* FROM api_key k WHERE k.key_hash = :keyHash AND " + ACTIVE)
    Optional<ApiKey> findActiveByHash(String keyHash);

    @Query("SELECT k.* FROM api_key k WHERE k.id = :id AND " + ACTIVE)
    Optional<ApiKey> findActiveById(UUID id);

    @Query("SELECT k.* FROM api_key k WHERE k.id = :id AND k.account_id = :accountId")
    Optional<ApiKey> findOfAccount(UUID id, UUID accountId);

    /** Newest first, revoked ones included (a list is also what a person audits). */
    @Query("SELECT k.* FROM api_key k WHERE k.account_id = :accountId ORDER BY k.created_at DESC, k.id LIMIT 200")
    List<ApiKey> listOfAccount(UUID accountId);

    @Query("SELECT count(*) FROM api_key k WHERE k.account_id = :accountId AND " + ACTIVE)
    long countActive(UUID accountId);

    @Query("UPDATE api_key SET last_used_at = now() WHERE id = :id")
    void touch(UUID id);

    @Query("UPDATE api_key SET revoked_at = now() WHERE account_id = :accountId AND revoked_at IS NULL")
    int revokeAll(UUID accountId);

    @Query("UPDATE api_key SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
    int revoke(UUID id);

    /** Ends a rotated key at {@code at}, never later than an end it already has. */
    @Query("UPDATE api_key SET expires_at = least(coalesce(expires_at, :at), :at) WHERE id = :id AND revoked_at IS NULL")
    int expire(UUID id, @Nullable Instant at);
}
