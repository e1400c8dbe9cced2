package dev.genq.webhook;

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
public interface DeliveryRepository extends GenericRepository<WebhookDelivery, UUID> {

    @Query("SELECT * FROM webhook_delivery WHERE id = :id AND account_id = :accountId")
    Optional<WebhookDelivery> findOfAccount(UUID id, UUID accountId);

    @Query("SELECT * FROM webhook_delivery WHERE id = :id")
    Optional<WebhookDelivery> findDelivery(UUID id);

    /** Newest first, strictly after the cursor (created_at, id). */
    @Query("""
        SELECT * FROM webhook_delivery WHERE endpoint_id = :endpointId AND (created_at, id) < (:createdAt, :id)
        ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<WebhookDelivery> page(UUID endpointId, Instant createdAt, UUID id, int limit);

    @Query("SELECT * FROM webhook_attempt WHERE delivery_id = :deliveryId ORDER BY attempt")
    List<WebhookAttempt> attempts(UUID deliveryId);

    /**
     * Claims due deliveries for one sender: their next attempt moves a lease ahead, so a sender that
     * dies mid-send leaves them due again after it, and two senders never take the same one.
     */
    @Query("""
        UPDATE webhook_delivery SET next_attempt_at = :leaseUntil
        WHERE id IN (SELECT id FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
        RETURNING *""")
    List<WebhookDelivery> claimDue(Instant leaseUntil, int limit);

    @Query("""
        INSERT INTO webhook_attempt (id, delivery_id, attempt, at, status_code, error, duration_ms)
        VALUES (:id, :deliveryId, :attempt, :at, :statusCode, :error, :durationMs)""")
    void recordAttempt(UUID id, UUID deliveryId, int attempt, Instant at, @Nullable Integer statusCode, @Nullable String error,
                       int durationMs);

    @Query("""
        UPDATE webhook_delivery SET attempts = :attempt, status = :status, next_attempt_at = :nextAttemptAt,
               delivered_at = CASE WHEN :status = 'delivered' THEN now() ELSE delivered_at END,
               last_status = :statusCode, last_error = :error
        WHERE id = :id""")
    void recordOutcome(UUID id, int attempt, String status, @Nullable Instant nextAttemptAt, @Nullable Integer statusCode,
                       @Nullable String error);

    /** Sends it again now, whatever it came to; its attempts go on counting. */
    @Query("UPDATE webhook_delivery SET status = 'pending', next_attempt_at = now() WHERE id = :id")
    void replay(UUID id);
}
