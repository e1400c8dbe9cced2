package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * genq's API against the OWASP API Security Top 10 (2023), a test per risk that applies, on the
 * whole stack. Each says what an attacker would try and asserts genq refuses it. (API6, sensitive
 * business flows: the per-account limits, LimitsTest; API10, unsafe consumption of vendors'
 * APIs: AdapterContractSupport classifies every malformed vendor answer.)
 */
class OwaspApiTop10Test extends EndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** API1, broken object-level authorization: every route that takes an id answers another account's 404, and changes nothing. */
    @Test
    void api1AnotherAccountsObjectsAreNotFoundOnEveryIdRoute() throws Exception {
        Api.Account owner = api.newAccount(100);
        Api.Account attacker = api.newAccount(100);
        String endpoint = api.post("/v1/webhooks", owner.key(), "{\"url\":\"http://127.0.0.1:9/x\"}").body().path("id").asText();
        String generation = api.submitted(owner, "emu-text", "{\"prompt\":\"mine\"}");
        String key = api.post("/v1/keys", owner.key(), "{\"name\":\"k\",\"scopes\":[\"read\"]}").body().path("id").asText();
        api.awaitEnd(owner, generation, END);
        String delivery = api.get("/v1/webhooks/" + endpoint + "/deliveries", owner.key()).body().path("data").get(0).path("id").asText();

        List<Api.Response> answers = List.of(
            api.get("/v1/generations/" + generation, attacker.key()),
            api.get("/v1/generations/" + generation + "/events", attacker.key()),
            api.post("/v1/generations/" + generation + "/cancel", attacker.key(), ""),
            api.post("/v1/keys/" + key + "/revoke", attacker.key(), ""),
            api.post("/v1/keys/" + key + "/rotate", attacker.key(), "{}"),
            api.get("/v1/webhooks/" + endpoint + "/deliveries", attacker.key()),
            api.post("/v1/webhooks/" + endpoint + "/disable", attacker.key(), ""),
            api.get("/v1/webhooks/deliveries/" + delivery, attacker.key()),
            api.post("/v1/webhooks/deliveries/" + delivery + "/replay", attacker.key(), ""));
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.status()).as(r.raw()).isEqualTo(404);
            assertThat(r.raw()).doesNotContain(owner.id().toString());
        });
        assertThat(api.get("/v1/generations", attacker.key()).body().path("data")).isEmpty();
        assertThat(api.get("/v1/keys", owner.key()).body().path("data").toString()).doesNotContain("revokedAt\":\"");
        assertThat(api.get("/v1/webhooks", owner.key()).body().path("data").get(0).path("disabledAt").isNull()).isTrue();
    }

    /** API2, broken authentication: no key, a made-up one, a revoked one, a rotated one past its overlap, a forged token. */
    @Test
    void api2MissingUnknownRevokedExpiredAndForgedCredentialsAre401() throws Exception {
        Api.Account account = api.newAccount(10);
        String revoked = newKey(account, "read");
        api.post("/v1/keys/" + keyId(account, revoked) + "/revoke", account.key(), "");
        String rotated = newKey(account, "read");
        api.post("/v1/keys/" + keyId(account, rotated) + "/rotate", account.key(), "{\"overlapSeconds\":0}");
        String token = api.post("/v1/tokens", account.key(), "{}").body().path("token").asText();
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";

        for (String credential : Stream.of(null, "", "gq_" + "x".repeat(32), revoked, rotated, forged, "Basic abc").toList()) {
            Api.Response r = api.get("/v1/wallet", credential);
            assertThat(r.status()).as(String.valueOf(credential)).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("unauthorized");
        }
        assertThat(api.get("/admin/v1/routes", account.key()).status()).as("an account key on /admin").isEqualTo(401);
    }

    /** API3, broken object property-level authorization: fields a caller may not set are refused, secrets never read back. */
    @Test
    void api3NoMassAssignmentAndNoSecretsInReads() throws Exception {
        Api.Account account = api.newAccount(100);
        Api.Account other = api.newAccount(1);
        List<Api.Response> refused = List.of(
            api.post("/v1/generations", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"},\"priceCoins\":0}"),
            api.post("/v1/generations", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"},\"accountId\":\"" + other.id() + "\"}"),
            api.post("/v1/keys", account.key(), "{\"name\":\"k\",\"scopes\":[\"read\"],\"accountId\":\"" + other.id() + "\"}"),
            api.post("/v1/tokens", account.key(), "{\"sub\":\"" + other.id() + "\"}"),
            api.post("/v1/webhooks", account.key(), "{\"url\":\"http://127.0.0.1:9/x\",\"secret\":\"whsec_mine\"}"));
        assertThat(refused).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(400));
        assertThat(api.balance(account)).isEqualTo(100);
        assertThat(api.balance(other)).isEqualTo(1);

        api.post("/v1/webhooks", account.key(), "{\"url\":\"http://127.0.0.1:9/x\"}");
        String keys = api.get("/v1/keys", account.key()).raw();
        String hooks = api.get("/v1/webhooks", account.key()).raw();
        assertThat(keys).doesNotContain(account.key().substring(10)).doesNotContain("keyHash").doesNotContain("key_hash");
        assertThat(hooks).doesNotContain("whsec_");
    }

    /**
     * API4, unrestricted resource consumption: pages and open event streams are bounded (bodies,
     * lines and headers: HostileRequestsTest.Sizes; requests a second and generations in flight: LimitsTest).
     */
    @Test
    void api4PagesAndEventStreamsAreBounded() throws Exception {
        Api.Account account = api.newAccount(10);
        assertThat(api.get("/v1/generations?limit=100000", account.key()).status()).isEqualTo(400);
        assertThat(api.get("/v1/wallet/transactions?limit=100000", account.key()).status()).isEqualTo(400);

        List<HttpResponse<java.io.InputStream>> open = new ArrayList<>();
        try {
            HttpResponse<java.io.InputStream> refused = null;
            for (int i = 0; i <= 100 && refused == null; i++) {
                HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/events"))
                    .header("Authorization", "Bearer " + account.key()).build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() == 200) {
                    open.add(r);
                } else {
                    refused = r;
                }
            }
            assertThat(open).as("streams open before the limit").hasSize(100);
            assertThat(refused).isNotNull();
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        } finally {
            for (HttpResponse<java.io.InputStream> r : open) {
                r.body().close();
            }
        }
    }

    /** API5, broken function-level authorization: each admin role, and browser tokens, reach only their functions. */
    @Test
    void api5EachRoleAndTokenReachesOnlyItsFunctions() throws Exception {
        Api.Account account = api.newAccount(10);
        String support = person("sue", "support");
        String finance = person("fin", "finance");
        String adjust = "/admin/v1/accounts/" + account.id() + "/adjustments";
        Map<String, Integer> supportCan = Map.of("GET /admin/v1/overview", 200, "GET /admin/v1/routes", 200,
            "POST " + adjust, 403, "POST /admin/v1/models/emu-text/prices", 403, "POST /admin/v1/keys", 403, "GET /admin/v1/keys", 403);
        supportCan.forEach((route, status) -> assertThat(call(route, support).status()).as("support: " + route).isEqualTo(status));
        assertThat(call("POST " + adjust, finance).status()).isEqualTo(200);
        assertThat(call("POST /admin/v1/models/emu-text/prices", finance).status()).isEqualTo(403);
        assertThat(call("POST /admin/v1/keys", finance).status()).isEqualTo(403);

        String token = api.post("/v1/tokens", account.key(), "{\"scopes\":[\"read\",\"submit\"]}").body().path("token").asText();
        for (String route : List.of("GET /v1/keys", "POST /v1/keys", "POST /v1/tokens", "GET /v1/webhooks", "POST /v1/webhooks")) {
            assertThat(call(route, token).status()).as("a browser token: " + route).isEqualTo(403);
        }
    }

    /** API7, server-side request forgery: a webhook endpoint cannot point genq at the inside. */
    @Test
    void api7WebhookUrlsCannotReachInside() {
        Api.Account account = api.newAccount(10);
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[fd00::1]/", "http://192.168.0.10/",
            "http://172.17.0.1:2375/containers/json", "file:///etc/passwd", "http://0.0.0.0:8080/")) {
            assertThat(api.post("/v1/webhooks", account.key(), "{\"url\":\"" + url + "\"}").status()).as(url).isEqualTo(400);
        }
    }

    /** API8, security misconfiguration: hardening headers, no caching of API answers, no stray methods, the dashboard elsewhere. */
    @Test
    void api8HeadersMethodsAndTheDashboardAreLockedDown() throws Exception {
        Api.Account account = api.newAccount(10);
        Api.Response wallet = api.get("/v1/wallet", account.key());
        assertThat(wallet.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(wallet.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(wallet.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(wallet.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> console = HTTP.send(HttpRequest.newBuilder(URI.create(api.base() + "/console/index.html")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(console.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
            .contains("frame-ancestors 'none'");
        HttpResponse<String> trace = HTTP.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/wallet"))
            .method("TRACE", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + account.key()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(trace.statusCode()).isEqualTo(405);
        for (String path : List.of("/dashboard", "/api/jobs", "/jobs")) {
            assertThat(api.get(path, null).status()).as("the JobRunr dashboard is not on the public port: " + path).isIn(401, 404);
        }
        JsonNode error = api.get("/v1/generations/not-a-uuid", account.key()).body();
        assertThat(error.toString()).doesNotContain("Exception").doesNotContain("at dev.genq");
    }

    /** API9, improper inventory management: the OpenAPI document served is the API served. */
    @Test
    void api9TheServedDocumentListsEveryServedRouteAndNoOther() throws Exception {
        String doc = HTTP.send(HttpRequest.newBuilder(URI.create(api.base() + "/openapi/genq.yml")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Api.Account account = api.newAccount(10);
        for (String path : List.of("/v1/generations/{id}/events", "/v1/webhooks/deliveries/{deliveryId}/replay", "/v1/tokens",
            "/admin/v1/overview")) {
            assertThat(doc).contains(path + ":");
        }
        assertThat(api.get("/v1/internal", account.key()).status()).as("nothing undocumented answers").isEqualTo(404);
        assertThat(api.get("/v2/wallet", account.key()).status()).isIn(401, 404);
    }

    private String newKey(Api.Account account, String scope) {
        return api.post("/v1/keys", account.key(), "{\"name\":\"k\",\"scopes\":[\"" + scope + "\"]}").body().path("key").asText();
    }

    private String keyId(Api.Account account, String key) {
        for (JsonNode k : api.get("/v1/keys", account.key()).body().path("data")) {
            if (key.startsWith(k.path("prefix").asText())) {
                return k.path("id").asText();
            }
        }
        throw new AssertionError("no such key");
    }

    private String person(String name, String role) {
        return api.post("/admin/v1/keys", GenqStack.ADMIN_KEY, "{\"person\":\"" + name + "\",\"role\":\"" + role + "\"}").body().path("key").asText();
    }

    private Api.Response call(String route, String key) {
        String[] methodAndPath = route.split(" ", 2);
        String body = switch (methodAndPath[1]) {
            case "/admin/v1/keys" -> "{\"person\":\"x\",\"role\":\"support\"}";
            case "/v1/keys" -> "{\"name\":\"x\",\"scopes\":[\"read\"]}";
            case "/v1/webhooks" -> "{\"url\":\"http://127.0.0.1:9/x\"}";
            case "/admin/v1/models/emu-text/prices" -> "{\"coinsPerUnit\":1,\"reason\":\"same\"}";
            default -> methodAndPath[1].endsWith("/adjustments") ? "{\"amountCoins\":1,\"reason\":\"test\"}" : "{}";
        };
        return methodAndPath[0].equals("GET") ? api.get(methodAndPath[1], key) : api.post(methodAndPath[1], key, body);
    }
}
