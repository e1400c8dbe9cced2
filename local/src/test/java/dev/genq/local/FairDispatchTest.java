package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.generation.Dispatch;
import dev.genq.generation.GenerationConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One account's burst does not starve another's: the burst goes into JobRunr's queue a window at a
 * time, the rest held in Redis and let in as its generations start, so another account's single
 * generation is queued behind a window, not behind the burst; and the whole burst still succeeds.
 */
class FairDispatchTest extends EndToEndTest {
    private static final int BURST = 1_000;

    @Test
    void aSingleGenerationOfAnotherAccountIsNotQueuedBehindABurst() throws Exception {
        Api.Account busy = api.newAccount(10_000);
        Api.Account quiet = api.newAccount(10);
        int window = stack.bean(GenerationConfig.class).getDispatchWindow();
        List<String> burst = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                int n = i;
                sent.add(pool.submit(() -> api.submitted(busy, "emu-text", "{\"prompt\":\"[latency=1500] burst " + n + "\"}")));
            }
            for (Future<String> f : sent) {
                burst.add(f.get());
            }
        }
        int held = stack.bean(Dispatch.class).held(burst.stream().map(UUID::fromString).toList()).size();

        long submitted = System.nanoTime();
        String single = api.submitted(quiet, "emu-text", "{\"prompt\":\"[latency=1500] the quiet one\"}");
        assertThat(api.awaitEnd(quiet, single, END).path("status").asText()).isEqualTo("SUCCEEDED");
        Duration waited = Duration.ofNanos(System.nanoTime() - submitted);

        System.out.printf("FairDispatchTest: %d of a burst of %d held behind a window of %d; a single generation of another"
            + " account submitted after it ended %d ms later (1500 ms of it at the vendor)%n", held, BURST, window, waited.toMillis());
        assertThat(held).as("the burst beyond its window waits its turn").isGreaterThan(BURST / 2 - window);
        assertThat(waited).isLessThan(Duration.ofSeconds(8));
        for (String id : burst) {
            assertThat(api.awaitEnd(busy, id, END).path("status").asText()).isEqualTo("SUCCEEDED");
        }
        assertThat(stack.bean(Dispatch.class).held(burst.stream().map(UUID::fromString).toList())).as("all let in").isEmpty();
    }
}
