package dev.genq.api.limits;

import static dev.genq.api.support.ApiRole.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.api.support.ApiRole;
import dev.genq.generation.Generation;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Rate limits shared by two api nodes through Redis, and an account's generations in flight. */
class LimitsTest {
    private final ApiRole api = ApiRole.get();
    private final ApiRole other = ApiRole.another();

    @Test
    void aKeysRequestsPerSecondAreCountedAcrossNodesAndTheRestAre429WithRetryAfter() throws Exception {
        String key = api.newAccount(1);
        int perSecond = api.bean(LimitsConfig.class).getKeyRequestsPerSecond();
        List<HttpResponse<String>> answers = new ArrayList<>();
        long startSecond;
        long endSecond;
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            startSecond = System.currentTimeMillis() / 1000;
            for (int i = 0; i < perSecond * 4; i++) {
                ApiRole node = i % 2 == 0 ? api : other;
                sent.add(pool.submit(() -> node.send("GET", "/v1/wallet", key)));
            }
            for (Future<HttpResponse<String>> f : sent) {
                answers.add(f.get());
            }
            endSecond = System.currentTimeMillis() / 1000;
        }
        long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();

        assertThat(ok + limited.size()).isEqualTo(answers.size());
        assertThat(ok).as("at most the limit in each window the burst spanned, whichever node answered")
            .isLessThanOrEqualTo(perSecond * (endSecond - startSecond + 1));
        assertThat(limited).isNotEmpty().allSatisfy(r -> {
            assertThat(ApiRole.error(r, 429)).isEqualTo("rate_limited");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        });
        Thread.sleep(1100);
        assertThat(api.send("GET", "/v1/wallet", key).statusCode()).as("the next second has room again").isEqualTo(200);
    }

    @Test
    void aSubmitBeyondTheAccountsGenerationsInFlightIs429AndChargesNothingUntilOneEnds() throws Exception {
        String key = api.newAccount(1_000);
        String second = anotherKey(key);
        String third = anotherKey(key);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ApiRole.IN_FLIGHT_LIMIT; i++) {
            ids.add(submit(i % 2 == 0 ? key : second).body()); // two keys, each under its own limit
            Thread.sleep(25); // under the keys' request rate
        }
        long balance = JSON.readTree(api.send("GET", "/v1/wallet", key).body()).path("balanceCoins").asLong();

        HttpResponse<String> refused = submit(third);

        assertThat(ApiRole.error(refused, 429)).isEqualTo("rate_limited");
        assertThat(refused.body()).contains("this account");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(api.send("GET", "/v1/wallet", key).body()).path("balanceCoins").asLong()).isEqualTo(balance);
        Generation running = api.bean(TaskChecks.class).startQueued(UUID.fromString(JSON.readTree(ids.getFirst()).path("id").asText()))
            .orElseThrow();
        assertThat(api.bean(Settlement.class).succeed(running, List.of(), 1)).isTrue();
        assertThat(submit(third).statusCode()).as("one ended: room for one more").isEqualTo(202);
    }

    @Test
    void aKeyBeyondItsOwnGenerationsInFlightIs429WhileAnotherKeyOfTheAccountStillSubmits() throws Exception {
        String key = api.newAccount(1_000);
        String other = anotherKey(key);
        for (int i = 0; i < ApiRole.KEY_IN_FLIGHT_LIMIT; i++) {
            assertThat(submit(key).statusCode()).isEqualTo(202);
            Thread.sleep(25);
        }

        HttpResponse<String> refused = submit(key);

        assertThat(ApiRole.error(refused, 429)).isEqualTo("rate_limited");
        assertThat(refused.body()).contains("this key");
        assertThat(submit(other).statusCode()).as("the account is under its own limit").isEqualTo(202);
    }

    private String anotherKey(String key) throws Exception {
        return JSON.readTree(api.send("POST", "/v1/keys", key, "{\"name\":\"more\",\"scopes\":[\"read\",\"submit\"]}").body())
            .path("key").asText();
    }

    private HttpResponse<String> submit(String key) throws Exception {
        return api.send("POST", "/v1/generations", key, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"again\"}}");
    }
}
