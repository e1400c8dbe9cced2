package dev.genq.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.account.AccountService;
import dev.genq.devkit.services.Shutdown;
import dev.genq.support.StorageContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The api role alone (no worker, no scheduler), started once per test JVM on its real services, and a client of it. */
public final class ApiRole {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The bootstrap admin key of this api role: it makes people's keys. */
    public static final String BOOTSTRAP_KEY = "api-test-bootstrap";
    /** Generations an account may have queued or running here (more than any other test submits). */
    public static final int IN_FLIGHT_LIMIT = 30;
    /** Generations one key may have queued or running here. */
    public static final int KEY_IN_FLIGHT_LIMIT = 20;
    /**
     * The one site whose pages may call this api role from a browser: a local one, since Micronaut
     * itself refuses pages of remote origins calling a server on loopback (drive-by protection).
     */
    public static final String ALLOWED_ORIGIN = "http://localhost:5173";
    private static ApiRole started;
    private static ApiRole second;
    private final ApplicationContext context;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private ApiRole(EmbeddedServer server) {
        this.context = server.getApplicationContext();
        this.base = "http://127.0.0.1:" + server.getPort();
    }

    public static synchronized ApiRole get() {
        if (started == null) {
            started = start();
        }
        return started;
    }

    /** A second api node on the same services, as a cluster has: what one node publishes, the other's clients hear. */
    public static synchronized ApiRole another() {
        if (second == null) {
            second = start();
        }
        return second;
    }

    private static ApiRole start() {
        Map<String, Object> p = new HashMap<>(StorageContext.properties());
        p.put("micronaut.server.port", -1);
        p.put("genq.admin.api-key", BOOTSTRAP_KEY);
        p.put("genq.events.heartbeat", "1s");
        p.put("genq.cors.allowed-origins", ALLOWED_ORIGIN);
        p.put("genq.limits.account-generations-in-flight", IN_FLIGHT_LIMIT);
        p.put("genq.limits.key-generations-in-flight", KEY_IN_FLIGHT_LIMIT);
        p.put("micronaut.security.token.jwt.signatures.secret.generator.secret", "api-test-token-secret-shared-by-both-nodes");
        ApiRole role = new ApiRole(ApplicationContext.run(EmbeddedServer.class, p, "api"));
        Shutdown.register(role.context);
        return role;
    }

    public String base() {
        return base;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A new account's API key. */
    public String newAccount(long coins) {
        return bean(AccountService.class).open("api-test-" + UUID.randomUUID(), coins, "test").apiKey();
    }

    public HttpResponse<String> send(String method, String path, String key) throws Exception {
        return send(method, path, key, null, (String) null);
    }

    public HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        return send(method, path, key, body, (String) null);
    }

    public HttpResponse<String> send(String method, String path, String key, String body, String ifNoneMatch) throws Exception {
        return send(method, path, key, body, ifNoneMatch == null ? Map.of() : Map.of("If-None-Match", ifNoneMatch));
    }

    public HttpResponse<String> send(String method, String path, String key, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A field of a response that must have {@code status}. */
    public static JsonNode body(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** The error code of a response that must have {@code status} and the error shape. */
    public static String error(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        return error.path("code").asText();
    }
}
