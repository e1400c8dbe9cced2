package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.Test;

/**
 * A worker told to stop drains: it takes nothing new at once, reports not ready, finishes the jobs
 * it holds within its grace, and only then stops. Nothing is lost and nothing is submitted twice.
 */
class DrainTest extends EndToEndTest {
    /** As many as the OpenAI account's cap lets run at once (Vendors.CAP). */
    private static final int HELD = Vendors.CAP;

    @Test
    void aStoppingWorkerTakesNothingNewFinishesWhatItHoldsAndIsNotReadyMeanwhile() throws Exception {
        Api.Account account = api.newAccount(1_000);
        int port = TestServices.freePort();
        Map<String, Object> properties = stack.propertiesForAnotherNode(port);
        properties.put("micronaut.lifecycle.graceful-shutdown.grace-period", "20s");
        ApplicationContext worker = Application.startManaged(Set.of("worker"), properties);
        List<String> prompts = new ArrayList<>();
        List<String> held = new ArrayList<>();
        List<String> later = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong laterCost = new java.util.concurrent.atomic.AtomicLong();
        Drain drain = Fixtures.whilePaused(() -> {
            // Only the new worker takes jobs: each holds it for the synchronous vendor's 2.5 s.
            for (int i = 0; i < HELD; i++) {
                String prompt = "[latency=2500] drained " + i + " " + UUID.randomUUID();
                prompts.add(prompt);
                held.add(api.submitted(account, "oa-image", "{\"prompt\":\"" + prompt + "\"}"));
            }
            awaitJobsRunning(worker, HELD);
            assertThat(ready(port)).isEqualTo(200);

            Instant asked = Instant.now();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(worker::close);
            Thread.sleep(300);
            int whileDraining = ready(port);
            for (int i = 0; i < 2; i++) { // a model no cap holds back: a worker still taking work would take these at once
                Api.Response r = api.submit(account, "emu-text", "{\"prompt\":\"after the stop " + i + " " + UUID.randomUUID() + "\"}");
                later.add(r.body().path("id").asText());
                laterCost.addAndGet(r.body().path("priceCoins").asLong());
            }
            stopped.join();
            Duration took = Duration.between(asked, Instant.now());
            return new Drain(whileDraining, took, statuses(account, held), statuses(account, later));
        });

        System.out.println("DrainTest: a worker holding " + HELD + " jobs drained in " + drain.took().toMillis() + " ms");
        assertThat(drain.readyWhileDraining()).as("a draining worker is not ready (503, or no longer accepting: -1)").isIn(503, -1);
        assertThat(drain.took()).as("it waited for its jobs, within its grace").isBetween(Duration.ofMillis(1_000), Duration.ofSeconds(20));
        assertThat(drain.heldStatuses()).as("the draining worker finished what it held before it stopped").containsOnly("SUCCEEDED");
        assertThat(drain.laterStatuses()).as("work submitted during the drain was not taken by the draining worker").containsOnly("QUEUED");
        for (String id : held) {
            assertThat(api.awaitEnd(account, id, END).path("status").asText()).isEqualTo("SUCCEEDED");
        }
        for (String id : later) {
            assertThat(api.awaitEnd(account, id, END).path("status").asText()).as("left to the other workers").isEqualTo("SUCCEEDED");
        }
        assertThat(prompts).allSatisfy(p -> assertThat(stack.vendors.openai.tasksStarted(p)).as("submitted once: %s", p).isEqualTo(1));
        assertThat(api.balance(account)).isEqualTo(1_000 - 10L * HELD - laterCost.get());
    }

    private record Drain(int readyWhileDraining, Duration took, List<String> heldStatuses, List<String> laterStatuses) {
    }

    private List<String> statuses(Api.Account account, List<String> ids) {
        return ids.stream().map(id -> api.get("/v1/generations/" + id, account.key()).body().path("status").asText()).toList();
    }

    private static void awaitJobsRunning(ApplicationContext worker, int jobs) throws InterruptedException {
        BackgroundJobServer server = worker.getBean(BackgroundJobServer.class);
        Instant until = Instant.now().plusSeconds(15);
        while (server.getJobSteward().getOccupiedWorkerCount() < jobs) {
            assertThat(Instant.now()).as("the worker took the jobs").isBefore(until);
            Thread.sleep(20);
        }
    }

    /** The node's readiness: its HTTP status, or -1 when it no longer accepts a connection. */
    private static int ready(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
