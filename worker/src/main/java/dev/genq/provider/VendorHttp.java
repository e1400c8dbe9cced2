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

/**
 * The HTTP plumbing every adapter shares: one client per account, JSON answers, and the one place
 * where transport failures are classified (never connected: unstarted; timed out or cut mid-call:
 * the vendor may have acted) and vendor error answers become {@link ProviderException}s.
 */
public final class VendorHttp {
    private static final ObjectMapper JSON = JsonTrees.MAPPER;

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
            outcome = String.valueOf(e.getStatus().getCode());
            VendorError error = errors.read(parse(e.getResponse().getBody(String.class).orElse("")));
            throw ProviderException.fromStatus(e.getStatus().getCode(), error == null ? null : error.code(),
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
