package dev.genq.webhook;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WebhookRepository extends GenericRepository<WebhookEndpoint, UUID> {

    WebhookEndpoint save(WebhookEndpoint endpoint);

    @Query("SELECT * FROM webhook_endpoint WHERE id = :id AND account_id = :accountId")
    Optional<WebhookEndpoint> findOfAccount(UUID id, UUID accountId);

    @Query("SELECT * FROM webhook_endpoint WHERE id = :id")
    Optional<WebhookEndpoint> findEndpoint(UUID id);

    @Query("SELECT * FROM webhook_endpoint WHERE account_id = :accountId ORDER BY created_at DESC, id LIMIT 100")
    List<WebhookEndpoint> listOfAccount(UUID accountId);

    @Query("SELECT count(*) FROM webhook_endpoint WHERE account_id = :accountId AND disabled_at IS NULL")
    long countActive(UUID accountId);

    @Query("UPDATE webhook_endpoint SET disabled_at = now() WHERE id = :id AND disabled_at IS NULL")
    int disable(UUID id);

    /** Accounts with an endpoint to send to: the only ones whose ends cost a write. */
    @Query("SELECT DISTINCT account_id FROM webhook_endpoint WHERE disabled_at IS NULL")
    List<UUID> accountsWithEndpoints();
}
