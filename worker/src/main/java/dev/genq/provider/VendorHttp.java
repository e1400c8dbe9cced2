package dev.genq.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.infra.JsonTrees;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClientConfiguration;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing every adapter shares: one client per account, JSON answers, and the one place
 * where transport failures are classified (never connected: unstarted; timed out or cut mid-call:
 * the vendor may have acted) and vendor error answers become {@link ProviderException}s.
 */
public final class VendorHttp {
    private static final ObjectMapper JSON = JsonTrees.MAPPER;
    private static final Logger LOG = LoggerFactory.getLogger(VendorHttp.class);
    /** Account and status pairs already logged: a task polled a hundred times logs its odd status once. */
    private static final Set<String> UNKNOWN_LOGGED = ConcurrentHashMap.newKeySet();

    /** Reads a vendor's error body into its code and message; either may be null. */
    @FunctionalInterface
    public interface ErrorReader {
        VendorError read(JsonNode body);
    }

    public record VendorError(String code, String message) {
    }

    private final ProviderConfig account;
    private final BlockingHttpClient http;
    private final MeterRegistry metrics;

    public VendorHttp(ProviderConfig account, BlockingHttpClient http, MeterRegistry metrics) {
        this.account = account;
        this.http = http;
        this.metrics = metrics;
    }

    /** The client settings adapters expect: the account's connect and request timeouts. */
    public static HttpClientConfiguration clientConfiguration(ProviderConfig config) {
        DefaultHttpClientConfiguration clientConfig = new DefaultHttpClientConfiguration();
        clientConfig.setConnectTimeout(config.getConnectTimeout());
        clientConfig.setReadTimeout(config.getRequestTimeout());
        clientConfig.setMaxContentLength(64 * 1024 * 1024); // base64 image answers are large; files never pass here
        return clientConfig;
    }

    public ProviderConfig account() {
        return account;
    }

    /** Sends the request and reads its 2xx answer as JSON; anything else throws, classified. */
    public JsonNode json(String operation, MutableHttpRequest<?> request, ErrorReader errors) throws ProviderException {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "ok";
        try {
            HttpResponse<String> response = http.exchange(request, Argument.STRING, Argument.STRING);
            String body = response.getBody(String.class).orElse("");
            try {
                return JSON.readTree(body.isEmpty() ? "null" : body);
            } catch (IOException e) {
                outcome = "malformed";
                throw ProviderException.retryable("provider_malformed_response", "the provider's answer to " + operation + " is not JSON");
            }
        } catch (HttpClientResponseException e) {
            int status = e.getResponse().code(); // getStatus() throws on codes HttpStatus does not name, such as fal's 499
            outcome = String.valueOf(status);
            VendorError error = errors.read(parse(e.getResponse().getBody(String.class).orElse("")));
            throw ProviderException.fromStatus(status, error == null ? null : error.code(),
                error == null || error.message() == null ? e.getMessage() : error.message(),
                e.getResponse().getHeaders().get("Retry-After"));
        } catch (HttpClientException e) {
            outcome = "io_error";
            if (causedBy(e, ConnectException.class)) {
                throw ProviderException.unreachable("provider_unreachable", "could not connect to the provider: " + e.getMessage());
            }
            throw ProviderException.retryable("provider_no_answer", "the provider's answer to " + operation + " did not arrive: " + e.getMessage());
        } finally {
            sample.stop(metrics.timer("genq.provider.call", "provider", account.getName(), "operation", operation, "outcome", outcome));
        }
    }

    /**
     * A task status the adapter does not know (a vendor may add one before genq learns it): not
     * taken for an end, so the task stays running and its route deadline ends it at the latest
     * (cancel, then settle). Counted every time it is seen, logged the first time per account.
     */
    public TaskState unknownStatus(String status) {
        String shown = status == null ? "(none)" : status.length() > 40 ? status.substring(0, 40) : status;
        metrics.counter("genq.vendor.statuses.unknown", "provider", account.getName(), "status", shown).increment();
        if (UNKNOWN_LOGGED.add(account.getName() + "\u0000" + shown)) {
            LOG.warn("provider account {} reports task status '{}', which genq does not know; such tasks run on until their deadline",
                account.getName(), shown);
        }
        return new TaskState.Running(0);
    }

    /** Adds the account's key as a bearer token, when it has one. */
    public <T> MutableHttpRequest<T> bearer(MutableHttpRequest<T> request) {
        return account.getApiKey() == null ? request : request.bearerAuth(account.getApiKey());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** A text field of a JSON answer, or null when absent. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
