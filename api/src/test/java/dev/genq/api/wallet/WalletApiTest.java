package dev.genq.api.wallet;

import static dev.genq.api.support.ApiRole.JSON;
import static dev.genq.api.support.ApiRole.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.api.support.ApiRole;
import dev.genq.generation.Generation;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.ledger.LedgerAudit;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a customer sees of their money and their generations over HTTP, the api role alone on real
 * PostgreSQL and Redis: the wallet's statement (top-ups and adjustments, holds, charges with what
 * came back, refunds), paged, adding up to the balance, and each generation's inputs.
 */
class WalletApiTest {
    private final ApiRole api = ApiRole.get();

    @AfterEach
    void ledgerBalances() {
        assertThat(api.bean(LedgerAudit.class).discrepancies()).isEmpty();
    }

    @Test
    void theStatementSaysWhereEveryCoinWentAndAddsUpToTheBalance() throws Exception {
        String key = api.newAccount(100);
        String cancelled = submit(key, "emu-text", "{\"prompt\":\"cancelled\"}");
        assertThat(api.send("POST", "/v1/generations/" + cancelled + "/cancel", key).statusCode()).isEqualTo(200);
        String partial = submit(key, "emu-image", "{\"prompt\":\"four cats\",\"n\":4}"); // 40 coins held
        deliver(partial, 3); // 3 of 4 images: 30 charged, 10 back
        String waiting = submit(key, "emu-text", "{\"prompt\":\"still queued\"}");

        List<JsonNode> lines = statement(key, 2);

        assertThat(lines).extracting(l -> l.path("type").asText())
            .containsExactly("hold", "charge", "hold", "refund", "hold", "adjustment");
        assertThat(lines).extracting(l -> l.path("generationId").asText(null))
            .containsExactly(waiting, partial, partial, cancelled, cancelled, null);
        JsonNode charge = lines.get(1);
        assertThat(charge.path("amountCoins").asLong()).as("charged").isEqualTo(30);
        assertThat(charge.path("balanceEffectCoins").asLong()).as("the 10 not charged came back").isEqualTo(10);
        assertThat(lines.get(3).path("balanceEffectCoins").asLong()).as("the cancel's refund").isEqualTo(1);
        assertThat(lines.get(5).path("balanceEffectCoins").asLong()).as("the opening coins").isEqualTo(100);
        long balance = JSON.readTree(api.send("GET", "/v1/wallet", key).body()).path("balanceCoins").asLong();
        assertThat(balance).isEqualTo(100 - 30 - 1);
        assertThat(lines.stream().mapToLong(l -> l.path("balanceEffectCoins").asLong()).sum()).isEqualTo(balance);
    }

    @Test
    void anAccountSeesOnlyItsOwnStatementAndBadPagingIsAFourHundred() throws Exception {
        String mine = api.newAccount(5);
        submit(mine, "emu-text", "{\"prompt\":\"mine\"}");
        String other = api.newAccount(7);

        assertThat(statement(other, 50)).extracting(l -> l.path("type").asText()).containsExactly("adjustment");
        assertThat(error(api.send("GET", "/v1/wallet/transactions?cursor=not-ours", mine), 400)).isEqualTo("invalid_request");
        assertThat(error(api.send("GET", "/v1/wallet/transactions?limit=0", mine), 400)).isEqualTo("invalid_request");
        assertThat(error(api.send("GET", "/v1/wallet/transactions?limit=201", mine), 400)).isEqualTo("invalid_request");
        assertThat(error(api.send("GET", "/v1/wallet/transactions", "not-a-key"), 401)).isEqualTo("unauthorized");
    }

    @Test
    void aGenerationShowsTheInputsItWasPricedForInItsStatusAndHistory() throws Exception {
        String key = api.newAccount(50);
        String id = submit(key, "emu-image", "{\"prompt\":\"a red fox\",\"n\":2}");

        JsonNode status = JSON.readTree(api.send("GET", "/v1/generations/" + id, key).body());
        assertThat(status.path("inputs").path("prompt").asText()).isEqualTo("a red fox");
        assertThat(status.path("inputs").path("n").asInt()).isEqualTo(2);
        assertThat(status.path("inputs").path("size").asText()).as("defaults filled in, as priced").isEqualTo("1024x1024");
        JsonNode history = JSON.readTree(api.send("GET", "/v1/generations", key).body()).path("data").get(0);
        assertThat(history.path("id").asText()).isEqualTo(id);
        assertThat(history.path("inputs")).isEqualTo(status.path("inputs"));
    }

    /** Every line of the statement, read page by page with {@code pageSize}. */
    private List<JsonNode> statement(String key, int pageSize) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = api.send("GET", "/v1/wallet/transactions?limit=" + pageSize + (cursor == null ? "" : "&cursor=" + cursor), key);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            assertThat(body.path("data").size()).isLessThanOrEqualTo(pageSize);
            body.path("data").forEach(lines::add);
            cursor = body.path("nextCursor").isNull() || body.path("nextCursor").isMissingNode() ? null : body.path("nextCursor").asText();
        } while (cursor != null);
        return lines;
    }

    /** What a worker does when the vendor delivered {@code units}: start the generation and settle it. */
    private void deliver(String id, int units) {
        Generation running = api.bean(TaskChecks.class).startQueued(UUID.fromString(id)).orElseThrow();
        assertThat(api.bean(Settlement.class).succeed(running, List.of(), units)).isTrue();
    }

    private String submit(String key, String model, String inputs) throws Exception {
        HttpResponse<String> r = api.send("POST", "/v1/generations", key, "{\"model\":\"" + model + "\",\"inputs\":" + inputs + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Thread.sleep(2); // distinct creation times keep the statement's order the order of these steps
        return JSON.readTree(r.body()).path("id").asText();
    }
}
