package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.genq.devkit.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Customer webhooks end to end: a receiver on loopback (allowed by the tests' configuration only)
 * gets each generation's end signed per Standard Webhooks, and the official {@code standardwebhooks}
 * library (Node) verifies it, not genq's own code; failed attempts are retried, every attempt is in
 * the delivery log, a delivery can be replayed, redirects are not followed, inward URLs are refused.
 */
class CustomerWebhooksTest extends EndToEndTest {
    private static final Path NODE_DIR = Path.of("src", "test", "node");
    private static HttpServer receiver;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static final AtomicInteger flakyCalls = new AtomicInteger();
    private static Path node;

    record Received(String path, String body, Map<String, String> headers) {
        String id() {
            return headers.get("webhook-id");
        }
    }

    @BeforeAll
    static void startTheReceiverAndInstallTheVerifier() throws Exception {
        node = Tools.require("node", "nodejs");
        Path installed = NODE_DIR.resolve("node_modules").resolve(".package-lock.json");
        if (!Files.exists(installed)) {
            Process npm = new ProcessBuilder(Tools.require("npm", "npm").toString(), "ci", "--no-audit", "--no-fund")
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor()).as("npm ci: %s", out).isZero();
        }
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            received.add(new Received(path, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), headers));
            int status = switch (path) {
                case "/flaky" -> flakyCalls.incrementAndGet() == 1 ? 500 : 200;
                case "/redirect" -> 302;
                default -> 200;
            };
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "/ok");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.stop(0);
    }

    @Test
    void anEndedGenerationIsPostedSignedAsTheStandardWebhooksLibraryVerifiesItAndLogged() throws Exception {
        Api.Account account = api.newAccount(100);
        JsonNode endpoint = register(account, "/ok");
        String secret = endpoint.path("secret").asText();
        assertThat(secret).startsWith("whsec_");

        String id = api.submitted(account, "emu-text", "{\"prompt\":\"tell the webhook\"}");
        api.awaitEnd(account, id, END);
        Received hook = awaitReceived(r -> r.body().contains(id), Duration.ofSeconds(15));

        assertThat(verify(secret, hook.body(), hook.headers())).isEqualTo("verified generation.succeeded");
        assertThat(verify(secret, hook.body().replace("SUCCEEDED", "FAILED"), hook.headers())).startsWith("not verified");
        assertThat(verify("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]), hook.body(), hook.headers()))
            .startsWith("not verified");
        JsonNode event = Api.JSON.readTree(hook.body());
        assertThat(event.path("data").path("id").asText()).isEqualTo(id);
        assertThat(event.path("data").path("chargedCoins").asLong()).isEqualTo(1);

        JsonNode log = api.get("/v1/webhooks/" + endpoint.path("id").asText() + "/deliveries", account.key()).body().path("data");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).path("id").asText()).isEqualTo(hook.id());
        assertThat(log.get(0).path("status").asText()).isEqualTo("delivered");
        JsonNode one = api.get("/v1/webhooks/deliveries/" + hook.id(), account.key()).body();
        assertThat(one.path("attemptLog")).hasSize(1);
        assertThat(one.path("attemptLog").get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(api.get("/v1/webhooks/deliveries/" + hook.id(), api.newAccount(1).key()).status()).as("another account's").isEqualTo(404);
    }

    @Test
    void aFailedAttemptIsRetriedEveryAttemptIsLoggedAndADeliveryCanBeReplayed() throws Exception {
        Api.Account account = api.newAccount(100);
        register(account, "/flaky");
        String id = api.submitted(account, "emu-text", "{\"prompt\":\"retry the webhook\"}");
        api.awaitEnd(account, id, END);

        Received first = awaitReceived(r -> r.path().equals("/flaky") && r.body().contains(id), Duration.ofSeconds(15));
        awaitDelivered(account, first.id(), Duration.ofSeconds(20));
        JsonNode logged = api.get("/v1/webhooks/deliveries/" + first.id(), account.key()).body();
        assertThat(logged.path("attemptLog")).extracting(a -> a.path("statusCode").asInt()).containsExactly(500, 200);

        assertThat(api.post("/v1/webhooks/deliveries/" + first.id() + "/replay", account.key(), "").status()).isEqualTo(202);
        awaitReceived(r -> r.id().equals(first.id()) && received.stream().filter(x -> x.id().equals(first.id())).count() == 3,
            Duration.ofSeconds(15));
        assertThat(received.stream().filter(r -> first.id().equals(r.id())).count()).as("the same webhook-id, sent again").isEqualTo(3);
    }

    @Test
    void redirectsAreNotFollowedAndInwardUrlsAreRefused() throws Exception {
        Api.Account account = api.newAccount(100);
        register(account, "/redirect");
        String id = api.submitted(account, "emu-text", "{\"prompt\":\"a redirected webhook\"}");
        api.awaitEnd(account, id, END);
        Received hook = awaitReceived(r -> r.path().equals("/redirect") && r.body().contains(id), Duration.ofSeconds(15));
        Instant until = Instant.now().plusSeconds(10);
        JsonNode logged;
        do {
            Thread.sleep(200);
            logged = api.get("/v1/webhooks/deliveries/" + hook.id(), account.key()).body();
        } while (logged.path("attempts").asInt() < 1 && Instant.now().isBefore(until));
        assertThat(logged.path("lastStatus").asInt()).isEqualTo(302);
        assertThat(logged.path("lastError").asText()).contains("redirects are not followed");
        assertThat(logged.path("status").asText()).isEqualTo("pending");
        assertThat(received.stream().filter(r -> r.path().equals("/ok") && hook.id().equals(r.id()))).as("not followed to /ok").isEmpty();

        for (String inward : List.of("http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data", "http://[fd00::1]/x",
            "http://192.168.1.1/", "http://100.64.0.1/", "http://user:pw@127.0.0.1/", "ftp://127.0.0.1/", "http://0.0.0.0/")) {
            Api.Response r = api.post("/v1/webhooks", account.key(), "{\"url\":\"" + inward + "\"}");
            assertThat(r.status()).as(inward).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("invalid_request");
        }
    }

    private JsonNode register(Api.Account account, String path) {
        Api.Response r = api.post("/v1/webhooks", account.key(),
            "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + path + "\",\"description\":\"test receiver\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body();
    }

    private static Received awaitReceived(java.util.function.Predicate<Received> wanted, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            for (Received r : received) {
                if (wanted.test(r)) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such webhook within " + timeout + "; received " + received.size());
    }

    private void awaitDelivered(Api.Account account, String deliveryId, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            if (api.get("/v1/webhooks/deliveries/" + deliveryId, account.key()).body().path("status").asText().equals("delivered")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("delivery " + deliveryId + " not delivered within " + timeout);
    }

    /** What the official library says of this webhook. */
    private static String verify(String secret, String body, Map<String, String> headers) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("webhook");
        Path bodyFile = Files.writeString(dir.resolve("body"), body);
        Map<String, String> standard = Map.of("webhook-id", headers.get("webhook-id"), "webhook-timestamp", headers.get("webhook-timestamp"),
            "webhook-signature", headers.get("webhook-signature"));
        Path headersFile = Files.writeString(dir.resolve("headers.json"), Api.JSON.writeValueAsString(standard));
        ProcessBuilder builder = new ProcessBuilder(node.toString(), "verify.mjs").directory(NODE_DIR.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("SECRET", secret, "BODY_FILE", bodyFile.toAbsolutePath().toString(),
            "HEADERS_FILE", headersFile.toAbsolutePath().toString()));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return out;
    }
}
