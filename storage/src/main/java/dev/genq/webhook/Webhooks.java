package dev.genq.webhook;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.BatchSql;
import dev.genq.infra.JsonText;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An account's endpoints and deliveries, and the outbox: each generation that ends becomes a
 * delivery per active endpoint of its account, inserted in the transaction that ends it. Only
 * accounts with an endpoint pay that insert; which accounts have one is read at most every few
 * seconds, so an endpoint registered on another node gets ends from a few seconds on.
 */
@Singleton
public class Webhooks {
    public static final int MAX_ENDPOINTS = 10;
    /** The waits after each failed attempt: nine attempts within 24 h. */
    static final List<Duration> RETRIES = List.of(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(8), Duration.ofHours(8));
    private static final Duration ACCOUNTS_FRESH = Duration.ofSeconds(5);

    private final WebhookRepository endpoints;
    private final DeliveryRepository deliveries;
    private final BatchSql sql;
    private final JsonText json;
    private final Clock clock;
    private final UrlGuard guard;
    private volatile Set<UUID> accountsWithEndpoints = Set.of();
    private volatile long accountsReadAt;

    public Webhooks(WebhookRepository endpoints, DeliveryRepository deliveries, BatchSql sql, JsonText json, Clock clock,
                    WebhooksConfig config) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.sql = sql;
        this.json = json;
        this.clock = clock;
        this.guard = new UrlGuard(config.isAllowLoopback());
    }

    public UrlGuard guard() {
        return guard;
    }

    /** A new endpoint, with the only copy of its signing secret. */
    public WebhookEndpoint register(UUID accountId, String url, String description) {
        if (description != null && description.length() > 200) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'description' may be at most 200 characters");
        }
        String checked = guard.check(url).toString();
        if (checked.length() > 2000) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'url' may be at most 2000 characters");
        }
        if (endpoints.countActive(accountId) >= MAX_ENDPOINTS) {
            throw new GenqException(ErrorCode.LIMIT_REACHED, "an account may have " + MAX_ENDPOINTS + " webhook endpoints; disable one first");
        }
        WebhookEndpoint saved = endpoints.save(new WebhookEndpoint(UUID.randomUUID(), accountId, checked, WebhookSignature.newSecret(),
            description, null, null));
        accountsReadAt = 0; // this node sends to it from the next end on
        return endpoints.findEndpoint(saved.id()).orElseThrow();
    }

    public List<WebhookEndpoint> list(UUID accountId) {
        return endpoints.listOfAccount(accountId);
    }

    public WebhookEndpoint disable(UUID accountId, UUID endpointId) {
        endpoints.disable(endpoint(accountId, endpointId).id());
        accountsReadAt = 0;
        return endpoint(accountId, endpointId);
    }

    public WebhookEndpoint endpoint(UUID accountId, UUID endpointId) {
        return endpoints.findOfAccount(endpointId, accountId).orElseThrow(() -> GenqException.notFound("webhook endpoint " + endpointId));
    }

    /** An endpoint's deliveries, newest first, strictly after the cursor. */
    public List<WebhookDelivery> deliveries(UUID accountId, UUID endpointId, Instant afterCreatedAt, UUID afterId, int limit) {
        return deliveries.page(endpoint(accountId, endpointId).id(), afterCreatedAt, afterId, limit);
    }

    public WebhookDelivery delivery(UUID accountId, UUID deliveryId) {
        return deliveries.findOfAccount(deliveryId, accountId).orElseThrow(() -> GenqException.notFound("webhook delivery " + deliveryId));
    }

    public List<WebhookAttempt> attempts(UUID deliveryId) {
        return deliveries.attempts(deliveryId);
    }

    /** Sends a delivery again now (to an endpoint still active), whatever came of it before. */
    public WebhookDelivery replay(UUID accountId, UUID deliveryId) {
        WebhookDelivery d = delivery(accountId, deliveryId);
        if (endpoint(accountId, d.endpointId()).disabledAt() != null) {
            throw new GenqException(ErrorCode.INVALID_STATE, "its endpoint is disabled");
        }
        deliveries.replay(d.id());
        return delivery(accountId, deliveryId);
    }

    /** In the caller's transaction: a delivery per active endpoint for each ended generation whose account has one. */
    public void ended(Collection<GenerationEnded> ended) {
        Set<UUID> accounts = accountsWithEndpoints();
        List<GenerationEnded> sending = ended.stream().filter(e -> accounts.contains(e.accountId())).toList();
        if (sending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        sql.run("""
            INSERT INTO webhook_delivery (id, endpoint_id, account_id, generation_id, event_type, payload, status, next_attempt_at)
            SELECT gen_random_uuid(), e.id, v.account_id, v.generation_id, v.event_type, v.payload, 'pending', now()
            FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[]) AS v(generation_id, account_id, event_type, payload)
            JOIN webhook_endpoint e ON e.account_id = v.account_id AND e.disabled_at IS NULL""", (a, s) -> {
            s.setArray(1, a.of("uuid", sending.stream().map(GenerationEnded::id).toList()));
            s.setArray(2, a.of("uuid", sending.stream().map(GenerationEnded::accountId).toList()));
            s.setArray(3, a.of("text", sending.stream().map(GenerationEnded::eventType).toList()));
            s.setArray(4, a.of("text", sending.stream().map(e -> json.write(new GenerationEnded.Event(e.eventType(), now, e))).toList()));
            return s.executeUpdate();
        });
    }

    private Set<UUID> accountsWithEndpoints() {
        long now = clock.millis();
        if (now - accountsReadAt > ACCOUNTS_FRESH.toMillis()) {
            accountsWithEndpoints = Set.copyOf(endpoints.accountsWithEndpoints());
            accountsReadAt = now;
        }
        return accountsWithEndpoints;
    }

    /** When a delivery whose attempt {@code attempt} just failed is tried next; null: its 24 h are over. */
    static Instant nextAttempt(WebhookDelivery d, int attempt, Instant now) {
        if (attempt > RETRIES.size()) {
            return null;
        }
        Instant next = now.plus(RETRIES.get(attempt - 1));
        return next.isAfter(d.createdAt().plus(Duration.ofHours(24))) ? null : next;
    }
}
