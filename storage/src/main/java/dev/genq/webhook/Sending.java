package dev.genq.webhook;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a sender of deliveries needs: claiming the due ones, the endpoint each goes to, and
 * recording an attempt with what comes of it (delivered, retried on the schedule, or failed).
 */
@Singleton
public class Sending {
    private final WebhookRepository endpoints;
    private final DeliveryRepository deliveries;
    private final Clock clock;

    public Sending(WebhookRepository endpoints, DeliveryRepository deliveries, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** Due deliveries, each leased to this sender for {@code lease} (due again after it if the sender dies). */
    public List<WebhookDelivery> claimDue(Duration lease, int limit) {
        return deliveries.claimDue(clock.instant().plus(lease), limit);
    }

    public Optional<WebhookEndpoint> endpoint(UUID id) {
        return endpoints.findEndpoint(id);
    }

    /**
     * Records attempt {@code d.attempts() + 1}: a 2xx delivered it; anything else is retried on the
     * schedule, or fails it. One transaction, so an attempt is never logged without its outcome.
     */
    @Transactional
    public void record(WebhookDelivery d, Instant at, Integer statusCode, String error, Duration took) {
        int attempt = d.attempts() + 1;
        deliveries.recordAttempt(UUID.randomUUID(), d.id(), attempt, at, statusCode, error, (int) Math.min(Integer.MAX_VALUE, took.toMillis()));
        boolean delivered = statusCode != null && statusCode >= 200 && statusCode < 300;
        Instant next = delivered ? null : Webhooks.nextAttempt(d, attempt, clock.instant());
        deliveries.recordOutcome(d.id(), attempt, delivered ? "delivered" : next == null ? "failed" : "pending", next, statusCode,
            error == null ? null : error.length() > 500 ? error.substring(0, 500) : error);
    }
}
