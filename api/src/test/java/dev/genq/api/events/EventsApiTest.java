package dev.genq.api.events;

import static dev.genq.api.support.ApiRole.JSON;
import static dev.genq.api.support.ApiRole.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.api.support.ApiRole;
import dev.genq.devkit.services.TestServices;
import dev.genq.generation.Generation;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/**
 * Server-sent events on two api nodes over the same PostgreSQL and Redis: what a worker publishes
 * (here the storage calls a worker makes, on the first node) reaches a browser connected to the
 * second; a reconnect resumes after its Last-Event-ID; a waiting generation shows its place in line.
 */
class EventsApiTest {
    private final ApiRole api = ApiRole.get();
    private final ApiRole other = ApiRole.another();

    @Test
    void aBrowserOnAnotherNodeSeesTheGenerationWaitRunProgressAndEnd() throws Exception {
        String key = api.newAccount(100_000);
        String token = body(api.send("POST", "/v1/tokens", key, "{}"), 201).path("token").asText();
        String ahead = submit(key, "emu-video");
        String id = submit(key, "emu-video");

        try (SseClient browser = new SseClient(other.base() + "/v1/generations/" + id + "/events?access_token=" + token, Map.of())) {
            assertThat(browser.status()).isEqualTo(200);
            SseClient.Event first = browser.next();
            assertThat(first.name()).isEqualTo("status");
            assertThat(first.data().path("status").asText()).isEqualTo("QUEUED");
            long place = first.data().path("queue").path("position").asLong();
            long aheadsPlace = body(api.send("GET", "/v1/generations/" + ahead, key), 200).path("queue").path("position").asLong();
            assertThat(place).as("right behind the one submitted before it").isEqualTo(aheadsPlace + 1);

            Generation before = api.bean(TaskChecks.class).startQueued(UUID.fromString(ahead)).orElseThrow();
            SseClient.Event moved = browser.next();
            assertThat(moved.data().path("queue").path("position").asLong()).as("the one ahead started").isEqualTo(place - 1);
            while (!moved.data().path("queue").path("estimatedStartAt").isTextual()) { // once the node's rates are read again (5 s)
                moved = browser.next();
                assertThat(moved.data().path("status").asText()).isEqualTo("QUEUED");
            }

            Generation running = api.bean(TaskChecks.class).startQueued(UUID.fromString(id)).orElseThrow();
            assertThat(browser.next().data().path("status").asText()).isEqualTo("RUNNING");
            api.bean(TaskChecks.class).progress(running, 40, 3);
            SseClient.Event progress = browser.next();
            assertThat(progress.data().path("progress").asInt()).isEqualTo(40);
            assertThat(progress.data().path("queue").path("vendorPosition").asInt()).isEqualTo(3);
            assertThat(api.bean(Settlement.class).succeed(running, List.of(), 1)).isTrue();
            SseClient.Event end = browser.next();

            assertThat(end.data().path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(end.data().path("chargedCoins").asLong()).isPositive();
            assertThat(browser.ended(Duration.ofSeconds(5))).as("the stream ends with the generation").isTrue();
            assertThat(api.bean(Settlement.class).succeed(before, List.of(), 1)).isTrue();
        }
    }

    @Test
    void anAccountStreamResumesAfterItsLastEventIdWithExactlyWhatItMissed() throws Exception {
        String key = api.newAccount(100);
        String seen;
        try (SseClient browser = new SseClient(other.base() + "/v1/events", Map.of("Authorization", "Bearer " + key))) {
            assertThat(browser.next().name()).as("an account's stream says it is open").isEqualTo("ready");
            String first = submit(key, "emu-text");
            SseClient.Event queued = browser.next();
            assertThat(queued.data().path("id").asText()).isEqualTo(first);
            seen = queued.id();
        }
        String second = submit(key, "emu-text");
        api.bean(TaskChecks.class).startQueued(UUID.fromString(second)).orElseThrow();

        try (SseClient back = new SseClient(api.base() + "/v1/events", Map.of("Authorization", "Bearer " + key, "Last-Event-ID", seen))) {
            SseClient.Event missedQueued = back.next();
            SseClient.Event missedRunning = back.next();
            assertThat(List.of(missedQueued, missedRunning)).extracting(e -> e.data().path("id").asText()).containsOnly(second);
            assertThat(List.of(missedQueued, missedRunning)).extracting(e -> e.data().path("status").asText())
                .containsExactly("QUEUED", "RUNNING");
            assertThat(EventIds.before(seen, missedQueued.id()) && EventIds.before(missedQueued.id(), missedRunning.id())).isTrue();
            SseClient.Event quiet = back.poll(Duration.ofMillis(1500));
            assertThat(quiet).as("then only heartbeats").isNotNull().extracting(SseClient.Event::name).isEqualTo("heartbeat");
        }
    }

    @Test
    void aReconnectToAnEndedGenerationIsTold204AndStrangersAndKeysInUrlsAreRefused() throws Exception {
        String key = api.newAccount(100);
        String id = submit(key, "emu-text");
        Generation running = api.bean(TaskChecks.class).startQueued(UUID.fromString(id)).orElseThrow();
        assertThat(api.bean(Settlement.class).succeed(running, List.of(), 1)).isTrue();
        String path = "/v1/generations/" + id + "/events";

        try (SseClient reconnect = new SseClient(api.base() + path, Map.of("Authorization", "Bearer " + key, "Last-Event-ID", "1-0"))) {
            assertThat(reconnect.status()).isEqualTo(204);
        }
        try (SseClient late = new SseClient(api.base() + path, Map.of("Authorization", "Bearer " + key))) {
            assertThat(late.next().data().path("status").asText()).as("a first visit still gets the end").isEqualTo("SUCCEEDED");
            assertThat(late.ended(Duration.ofSeconds(5))).isTrue();
        }
        HttpResponse<String> stranger = api.send("GET", path, api.newAccount(1));
        assertThat(ApiRole.error(stranger, 404)).isEqualTo("not_found");
        HttpResponse<String> keyInUrl = api.send("GET", path + "?access_token=" + key, null);
        assertThat(ApiRole.error(keyInUrl, 401)).isEqualTo("unauthorized");
        HttpResponse<String> tokenInUrlElsewhere = api.send("GET", "/v1/wallet?access_token="
            + body(api.send("POST", "/v1/tokens", key, "{}"), 201).path("token").asText(), null);
        assertThat(ApiRole.error(tokenInUrlElsewhere, 401)).as("only event routes read a token from the URL").isEqualTo("unauthorized");
    }

    @Test
    void aStreamCatchesUpWhatWasPublishedWhileItsNodesSubscriptionWasDown() throws Exception {
        String key = api.newAccount(100);
        try (SseClient browser = new SseClient(other.base() + "/v1/events", Map.of("Authorization", "Bearer " + key));
             JedisPooled redis = new JedisPooled(TestServices.redis().uri())) {
            assertThat(browser.next().name()).isEqualTo("ready");
            redis.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub"); // every node's subscription drops
            String id = submit(key, "emu-text"); // published while no node listens

            SseClient.Event caughtUp = browser.next();

            assertThat(caughtUp.data().path("id").asText()).isEqualTo(id);
            assertThat(caughtUp.data().path("status").asText()).isEqualTo("QUEUED");
        }
    }

    private String submit(String key, String model) throws Exception {
        HttpResponse<String> r = api.send("POST", "/v1/generations", key, "{\"model\":\"" + model + "\",\"inputs\":{\"prompt\":\"a fox\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asText();
    }
}
