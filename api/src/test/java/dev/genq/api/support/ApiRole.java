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
    private static ApiRole started;
    private final ApplicationContext context;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private ApiRole(EmbeddedServer server) {
        this.context = server.getApplicationContext();
        this.base = "http://127.0.0.1:" + server.getPort();
    }

    public static synchronized ApiRole get() {
        if (started == null) {
            Map<String, Object> p = new HashMap<>(StorageContext.properties());
            p.put("micronaut.server.port", -1);
            p.put("genq.admin.api-key", BOOTSTRAP_KEY);
            started = new ApiRole(ApplicationContext.run(EmbeddedServer.class, p, "api"));
            Shutdown.register(started.context);
        }
        return started;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A new account's API key. */
    public String newAccount(long coins) {
        return bean(AccountService.class).open("api-test-" + UUID.randomUUID(), coins, "test").apiKey();
    }

    public HttpResponse<String> send(String method, String path, String key) throws Exception {
        return send(method, path, key, null, null);
    }

    public HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        return send(method, path, key, body, null);
    }

    public HttpResponse<String> send(String method, String path, String key, String body, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
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
