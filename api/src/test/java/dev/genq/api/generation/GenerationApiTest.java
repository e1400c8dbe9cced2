package dev.genq.api.generation;

import static dev.genq.api.support.ApiRole.JSON;
import static dev.genq.api.support.ApiRole.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.api.support.ApiRole;
import dev.genq.ledger.LedgerAudit;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The api role alone (no worker, no scheduler on the classpath) over real HTTP on real PostgreSQL
 * and Redis: a submit holds the coins, the status answers with an ETag and 304, a cancel refunds,
 * another account's generation does not exist, and bad input is a 4xx with a code, charging nothing.
 */
class GenerationApiTest {
    private final ApiRole api = ApiRole.get();

    @AfterEach
    void ledgerBalances() {
        assertThat(api.bean(LedgerAudit.class).discrepancies()).isEmpty();
    }

    @Test
    void aSubmitHoldsTheCoinsAndItsStatusIsPolledWithAnETag() throws Exception {
        String key = api.newAccount(10);
        HttpResponse<String> submitted = api.send("POST", "/v1/generations", key, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"hi\"}}", (String) null);
        assertThat(submitted.statusCode()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).path("id").asText();
        assertThat(balance(key)).isEqualTo(9);

        HttpResponse<String> status = api.send("GET", "/v1/generations/" + id, key, null, (String) null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(status.body()).path("status").asText()).isEqualTo("QUEUED");
        String etag = status.headers().firstValue("ETag").orElseThrow();
        assertThat(api.send("GET", "/v1/generations/" + id, key, null, etag).statusCode()).isEqualTo(304);

        HttpResponse<String> cancelled = api.send("POST", "/v1/generations/" + id + "/cancel", key, null, (String) null);
        assertThat(JSON.readTree(cancelled.body()).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(balance(key)).isEqualTo(10);
        HttpResponse<String> after = api.send("GET", "/v1/generations/" + id, key, null, etag);
        assertThat(after.statusCode()).as("the status changed, so the old ETag no longer matches").isEqualTo(200);
    }

    @Test
    void anotherAccountsGenerationDoesNotExist() throws Exception {
        String owner = api.newAccount(10);
        String other = api.newAccount(10);
        String id = JSON.readTree(api.send("POST", "/v1/generations", owner, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"mine\"}}", (String) null)
            .body()).path("id").asText();

        assertThat(error(api.send("GET", "/v1/generations/" + id, other, null, (String) null), 404)).isEqualTo("not_found");
        assertThat(error(api.send("POST", "/v1/generations/" + id + "/cancel", other, null, (String) null), 404)).isEqualTo("not_found");
        assertThat(balance(owner)).isEqualTo(9);
    }

    @Test
    void badInputIsAClearFourHundredThatChargesNothing() throws Exception {
        String key = api.newAccount(10);
        assertThat(error(api.send("POST", "/v1/generations", key, "{\"model\":", (String) null), 400)).isNotBlank();
        assertThat(error(api.send("POST", "/v1/generations", key, "{\"model\":\"no-such-model\",\"inputs\":{}}", (String) null), 400)).isNotBlank();
        assertThat(api.send("POST", "/v1/generations", key, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"}}", (String) null).statusCode())
            .isEqualTo(202);
        assertThat(error(api.send("GET", "/v1/generations/not-a-uuid", key, null, (String) null), 400)).isNotBlank();
        assertThat(error(api.send("GET", "/v1/generations", "wrong-key", null, (String) null), 401)).isEqualTo("unauthorized");
        assertThat(balance(key)).as("only the one valid submit is held").isEqualTo(9);
    }

    private long balance(String key) throws Exception {
        return JSON.readTree(api.send("GET", "/v1/wallet", key).body()).path("balanceCoins").asLong();
    }
}
