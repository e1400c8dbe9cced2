package dev.genq.api.payment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.JdkHttp;
import dev.genq.infra.JsonTrees;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a gateway's API. The gateway unreachable, slow, or answering 5xx or 429 is a 503
 * (gateway_unavailable, retry later); any other refusal is a 502 (gateway_refused) whose message
 * carries the gateway's words, since it usually means genq's credentials or settings are wrong.
 */
final class GatewayCalls {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCalls.class);
    private static final HttpClient HTTP = JdkHttp.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private GatewayCalls() {
    }

    static HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    }

    static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    }

    /** Sends the request and reads a JSON answer; {@code gateway} names the gateway in errors. */
    static JsonNode send(String gateway, HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable(gateway, "is unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(gateway, "did not answer in time");
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw unavailable(gateway, "answered " + status);
        }
        if (status >= 400) {
            LOG.warn("{} refused a request with {}: {}", gateway, status, abbreviated(response.body()));
            throw new GenqException(ErrorCode.GATEWAY_REFUSED, gateway + " refused the payment (" + status + "): " + abbreviated(response.body()));
        }
        try {
            return JsonTrees.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new GenqException(ErrorCode.GATEWAY_REFUSED, gateway + " answered something that is not JSON");
        }
    }

    static GenqException unavailable(String gateway, String what) {
        return new GenqException(ErrorCode.GATEWAY_UNAVAILABLE, gateway + " " + what + "; nothing was created, try again later");
    }

    static GenqException refused(String gateway, String what) {
        return new GenqException(ErrorCode.GATEWAY_REFUSED, gateway + " " + what);
    }

    private static String abbreviated(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
