package dev.genq.account;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiKeyRepository extends GenericRepository<ApiKey, UUID> {

    ApiKey save(ApiKey key);

    @Query("""
        SELECT a.* FROM api_key k JOIN account a ON a.id = k.account_id
        WHERE k.key_hash = :keyHash AND k.revoked_at IS NULL""")
    Optional<Account> findAccountOfActiveKey(String keyHash);
}
