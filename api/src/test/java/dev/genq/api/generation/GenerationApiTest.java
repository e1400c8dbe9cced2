package dev.genq.api.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.account.AccountService;
import dev.genq.ledger.LedgerAudit;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The api role alone (no worker, no scheduler on the classpath) over real HTTP on real PostgreSQL
 * and Redis: a submit holds the coins, the status answers with an ETag and 304, a cancel refunds,
 * another account's generation does not exist, and bad input is a 4xx with a code, charging nothing.
 */
class GenerationApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApplicationContext api;
    private static String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheApiRole() {
        Map<String, Object> p = new HashMap<>(StorageContext.properties());
        p.put("micronaut.server.port", -1);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, p, "api");
        api = server.getApplicationContext();
        base = "http://127.0.0.1:" + server.getPort();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void ledgerBalances() {
        assertThat(api.getBean(LedgerAudit.class).discrepancies()).isEmpty();
    }

    @Test
    void aSubmitHoldsTheCoinsAndItsStatusIsPolledWithAnETag() throws Exception {
        String key = newAccount(10);
        HttpResponse<String> submitted = send("POST", "/v1/generations", key, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"hi\"}}", null);
        assertThat(submitted.statusCode()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).path("id").asText();
        assertThat(balance(key)).isEqualTo(9);

        HttpResponse<String> status = send("GET", "/v1/generations/" + id, key, null, null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(status.body()).path("status").asText()).isEqualTo("QUEUED");
        String etag = status.headers().firstValue("ETag").orElseThrow();
        assertThat(send("GET", "/v1/generations/" + id, key, null, etag).statusCode()).isEqualTo(304);

        HttpResponse<String> cancelled = send("POST", "/v1/generations/" + id + "/cancel", key, null, null);
        assertThat(JSON.readTree(cancelled.body()).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(balance(key)).isEqualTo(10);
        HttpResponse<String> after = send("GET", "/v1/generations/" + id, key, null, etag);
        assertThat(after.statusCode()).as("the status changed, so the old ETag no longer matches").isEqualTo(200);
    }

    @Test
    void anotherAccountsGenerationDoesNotExist() throws Exception {
        String owner = newAccount(10);
        String other = newAccount(10);
        String id = JSON.readTree(send("POST", "/v1/generations", owner, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"mine\"}}", null)
            .body()).path("id").asText();

        assertThat(error(send("GET", "/v1/generations/" + id, other, null, null), 404)).isEqualTo("not_found");
        assertThat(error(send("POST", "/v1/generations/" + id + "/cancel", other, null, null), 404)).isEqualTo("not_found");
        assertThat(balance(owner)).isEqualTo(9);
    }

    @Test
    void badInputIsAClearFourHundredThatChargesNothing() throws Exception {
        String key = newAccount(10);
        assertThat(error(send("POST", "/v1/generations", key, "{\"model\":", null), 400)).isNotBlank();
        assertThat(error(send("POST", "/v1/generations", key, "{\"model\":\"no-such-model\",\"inputs\":{}}", null), 400)).isNotBlank();
        assertThat(send("POST", "/v1/generations", key, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"}}", null).statusCode())
            .isEqualTo(202);
        assertThat(error(send("GET", "/v1/generations/not-a-uuid", key, null, null), 400)).isNotBlank();
        assertThat(error(send("GET", "/v1/generations", "wrong-key", null, null), 401)).isEqualTo("unauthorized");
        assertThat(balance(key)).as("only the one valid submit is held").isEqualTo(9);
    }

    private String newAccount(long coins) {
        return api.getBean(AccountService.class).open("api-test-" + UUID.randomUUID(), coins, "test").apiKey();
    }

    private long balance(String key) throws Exception {
        return JSON.readTree(send("GET", "/v1/wallet", key, null, null).body()).path("balanceCoins").asLong();
    }

    /** The error code of a response that must have {@code status}. */
    private static String error(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        return error.path("code").asText();
    }

    private HttpResponse<String> send(String method, String path, String key, String body, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
