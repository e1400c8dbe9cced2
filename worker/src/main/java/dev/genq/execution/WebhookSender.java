package dev.genq.execution;

import dev.genq.error.GenqException;
import dev.genq.infra.StopSignal;
import dev.genq.webhook.Sending;
import dev.genq.webhook.WebhookDelivery;
import dev.genq.webhook.WebhookEndpoint;
import dev.genq.webhook.WebhookSignature;
import dev.genq.webhook.Webhooks;
import dev.genq.webhook.WebhooksConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends customers' webhook deliveries from the worker role: claims the due ones each second (workers
 * share them, see {@link Sending#claimDue}), POSTs each signed per Standard Webhooks, and records
 * the attempt. Redirects are not followed and every attempt checks the URL against the SSRF rules
 * again, so a name that has come to resolve inward is refused at send time too.
 */
@Context
class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int BATCH = 100;
    private final Sending sending;
    private final Webhooks webhooks;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private final StopSignal stopping = new StopSignal();

    WebhookSender(Sending sending, Webhooks webhooks, WebhooksConfig config, Clock clock) {
        this.sending = sending;
        this.webhooks = webhooks;
        this.clock = clock;
        this.timeout = config.getTimeout();
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        Thread.ofVirtual().name("genq-webhook-sender").start(this::sendUntilStopped);
    }

    private void sendUntilStopped() {
        while (!stopping.stopped()) {
            int sent = 0;
            try {
                sent = sendDue();
            } catch (RuntimeException e) {
                LOG.warn("sending webhooks failed; trying again in {}: {}", TICK, e.toString());
            }
            if (sent < BATCH && !stopping.pause(TICK)) {
                return;
            }
        }
    }

    /** Claims and sends one batch; returns how many it sent. */
    int sendDue() {
        List<WebhookDelivery> due = sending.claimDue(timeout.multipliedBy(3), BATCH);
        List<Future<?>> running = due.stream().<Future<?>>map(d -> sends.submit(() -> send(d))).toList();
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (Exception e) {
                LOG.warn("a webhook send failed: {}", e.toString());
            }
        }
        return due.size();
    }

    private void send(WebhookDelivery d) {
        Instant at = clock.instant();
        long start = System.nanoTime();
        Optional<WebhookEndpoint> endpoint = sending.endpoint(d.endpointId());
        if (endpoint.isEmpty() || endpoint.get().disabledAt() != null) {
            sending.record(d, at, null, "the endpoint is disabled", Duration.ZERO);
            return;
        }
        Integer status = null;
        String error = null;
        try {
            URI url = webhooks.guard().check(endpoint.get().url());
            long timestamp = at.getEpochSecond();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "genq-webhooks")
                .header("webhook-id", d.id().toString()).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(endpoint.get().secret(), d.id().toString(), timestamp, d.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build(), HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status >= 300 && status < 400) {
                error = "redirects are not followed";
            }
        } catch (GenqException refused) {
            error = "refused: " + refused.getMessage();
        } catch (java.io.IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        sending.record(d, at, status, error, Duration.ofNanos(System.nanoTime() - start));
    }

    @PreDestroy
    void stop() {
        stopping.stop();
        sends.close();
    }
}
