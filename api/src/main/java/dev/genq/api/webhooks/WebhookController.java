package dev.genq.api.webhooks;

import dev.genq.account.Scope;
import dev.genq.api.activity.Audited;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.HistoryCursor;
import dev.genq.http.ErrorResponses;
import dev.genq.webhook.WebhookAttempt;
import dev.genq.webhook.WebhookDelivery;
import dev.genq.webhook.WebhookEndpoint;
import dev.genq.webhook.Webhooks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An account's webhook endpoints and their delivery log. Managed with a key's {@code keys} scope, never from a browser. */
@ErrorResponses
@Controller("/v1/webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
class WebhookController {
    private final Webhooks webhooks;

    WebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Serdeable
    record CreateRequest(@Nullable String url, @Nullable String description) {
    }

    /** An endpoint; {@code secret} (whsec_…, what a Standard Webhooks library verifies with) only in the answer that made it. */
    @Serdeable
    record EndpointView(UUID id, String url, @Nullable String description, Instant createdAt, @Nullable Instant disabledAt,
                        @Nullable String secret) {
        static EndpointView of(WebhookEndpoint e, boolean withSecret) {
            return new EndpointView(e.id(), e.url(), e.description(), e.createdAt(), e.disabledAt(), withSecret ? e.secret() : null);
        }
    }

    @Serdeable
    record EndpointList(List<EndpointView> data) {
    }

    @Serdeable
    record AttemptView(int attempt, Instant at, @Nullable Integer statusCode, @Nullable String error, int durationMs) {
        static AttemptView of(WebhookAttempt a) {
            return new AttemptView(a.attempt(), a.at(), a.statusCode(), a.error(), a.durationMs());
        }
    }

    /** A delivery: its webhook-id, event, payload as sent, status (pending, delivered, failed), and, read alone, every attempt. */
    @Serdeable
    record DeliveryView(UUID id, UUID endpointId, UUID generationId, String eventType, String payload, String status, int attempts,
                        @Nullable Instant nextAttemptAt, Instant createdAt, @Nullable Instant deliveredAt, @Nullable Integer lastStatus,
                        @Nullable String lastError, @Nullable List<AttemptView> attemptLog) {
        static DeliveryView of(WebhookDelivery d, @Nullable List<AttemptView> log) {
            return new DeliveryView(d.id(), d.endpointId(), d.generationId(), d.eventType(), d.payload(), d.status(), d.attempts(),
                d.nextAttemptAt(), d.createdAt(), d.deliveredAt(), d.lastStatus(), d.lastError(), log);
        }
    }

    @Serdeable
    record DeliveryPage(List<DeliveryView> data, @Nullable String nextCursor) {
    }

    @Post
    @Audited("webhook.created")
    @Status(HttpStatus.CREATED)
    @Scoped(value = Scope.KEYS, browserTokens = false)
    HttpResponse<EndpointView> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body CreateRequest body) {
        if (body.url() == null) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'url' is required");
        }
        return HttpResponse.created(EndpointView.of(webhooks.register(caller.accountId(), body.url(), body.description()), true));
    }

    @Get
    @Scoped(value = Scope.KEYS, browserTokens = false)
    EndpointList list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return new EndpointList(webhooks.list(caller.accountId()).stream().map(e -> EndpointView.of(e, false)).toList());
    }

    /** Stops sending to it; its deliveries still pending fail at their next attempt. */
    @Post("/{id}/disable")
    @Audited("webhook.disabled")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    EndpointView disable(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id) {
        return EndpointView.of(webhooks.disable(caller.accountId(), id), false);
    }

    /** The endpoint's deliveries, newest first; pass nextCursor as cursor for older ones. */
    @Get("/{id}/deliveries")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    DeliveryPage deliveries(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id, @Nullable @QueryValue String cursor,
                            @Nullable @QueryValue Integer limit) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 200) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and 200");
        }
        HistoryCursor from = HistoryCursor.decode(cursor);
        HistoryCursor.Page<WebhookDelivery> page = HistoryCursor.Page.of(
            webhooks.deliveries(caller.accountId(), id, from.createdAt(), from.id(), size + 1), size, d -> new HistoryCursor(d.createdAt(), d.id()));
        return new DeliveryPage(page.rows().stream().map(d -> DeliveryView.of(d, null)).toList(), page.nextCursor());
    }

    @Get("/deliveries/{deliveryId}")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    DeliveryView delivery(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID deliveryId) {
        WebhookDelivery d = webhooks.delivery(caller.accountId(), deliveryId);
        return DeliveryView.of(d, webhooks.attempts(d.id()).stream().map(AttemptView::of).toList());
    }

    /** Sends the delivery again now, with the same webhook-id (receivers deduplicate on it). */
    @Post("/deliveries/{deliveryId}/replay")
    @Status(HttpStatus.ACCEPTED)
    @Scoped(value = Scope.KEYS, browserTokens = false)
    HttpResponse<DeliveryView> replay(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID deliveryId) {
        return HttpResponse.accepted().body(DeliveryView.of(webhooks.replay(caller.accountId(), deliveryId), null));
    }
}
