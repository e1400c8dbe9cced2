package dev.genq.staff;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AdminKeyRepository extends CrudRepository<AdminKey, UUID> {

    @Query("SELECT * FROM admin_key WHERE key_hash = :keyHash AND revoked_at IS NULL")
    Optional<AdminKey> findActiveByHash(String keyHash);

    @Query("SELECT * FROM admin_key ORDER BY created_at DESC, id LIMIT 500")
    List<AdminKey> listAll();

    @Query("UPDATE admin_key SET last_used_at = now() WHERE id = :id")
    void touch(UUID id);

    @Query("UPDATE admin_key SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
    int revoke(UUID id);
}
