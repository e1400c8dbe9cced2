package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.error.ErrorCode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile requests to every public and admin route and payment webhook: bodies of wrong
 * shapes and types, text no database holds, numbers beyond every range, garbage in paths, queries
 * and headers. None may answer 5xx; every 4xx has the error shape and a documented code; and a
 * refused request changes no wallet, generation, ledger or payment row, and logs at most one line,
 * below WARN. The seed is printed
 * ({@code -Dgenq.seed=…} replays a run).
 */
class HostileFuzzTest extends EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet());
    private static final int REQUESTS = 1_500;
    private static final String[] VALUES = {
        "null", "true", "0", "-1", "1.5", "1e999", "-1e999", "99999999999999999999", "9223372036854775807", "-9223372036854775808",
        "1e-999999999", "\"\"", "\"x\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"" + "y".repeat(20_000) + "\"",
        "[]", "[1,2,3]", "{}", "{\"a\":{\"b\":[null]}}", "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-uuid\"",
        "\"../../etc/passwd\"", "\"<script>\"", "\"' OR 1=1 --\"", "\"1e999999999\"", "\"NaN\""};
    private static final String[] FIELDS = {"model", "inputs", "quoteId", "prompt", "n", "name", "initialCoins", "amountCoins", "reason",
        "disputeId", "coinsPerUnit", "enabled", "link", "quantity", "payment_id", "payment_status", "price_amount", "order_id",
        "event", "object", "scopes", "ttlSeconds", "overlapSeconds", "person", "role", "url", "description", "unknownField"};
    private static final String[] SEGMENTS = {"x", "%00", "..%2F..", "00000000-0000-0000-0000-000000000000", "-1", "%F0%9F%A6%8A",
        "%ED%A0%80", "a".repeat(300), "emu-image", "%25", "null"};

    @Test
    void noHostileRequestAnswers5xxAndEveryRefusalIsShapedAndWritesNothing() throws Exception {
        long seed = Long.getLong("genq.seed", System.nanoTime());
        System.out.println("HostileFuzzTest seed: " + seed + " (replay with -Dgenq.seed=" + seed + ")");
        Random random = new Random(seed);
        Api.Account account = api.newAccount(100);
        String generation = api.submitted(account, "emu-text", "{\"prompt\":\"a target for hostile ids\"}");
        api.awaitEnd(account, generation, END);
        // Paused, so that no job ends a generation an accepted request queued while a refused one is judged.
        List<String> failures = Fixtures.whilePaused(() -> {
            List<String> found = new ArrayList<>();
            try (Logs logs = Logs.capture()) {
                for (int i = 0; i < REQUESTS; i++) {
                    Request request = aHostileRequest(random, account, generation);
                    String before = rows();
                    int logged = logs.lines().size();
                    String problem = judge(request, send(request), before);
                    if (problem == null) {
                        problem = judgeLog(request, logs.lines().subList(logged, logs.lines().size()));
                    }
                    if (problem != null) {
                        found.add(problem);
                    }
                }
            }
            return found;
        });

        assertThat(failures).as("seed %d", seed).isEmpty();
    }

    private record Request(String method, String path, String key, String contentType, String body) {
        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
            return method + " " + (path.length() > 200 ? path.substring(0, 200) + "…" : path) + " " + shown;
        }
    }

    private Request aHostileRequest(Random random, Api.Account account, String generation) {
        String user = account.key();
        String admin = api.admin("ana");
        String id = random.nextInt(3) == 0 ? pick(random, SEGMENTS) : random.nextBoolean() ? generation : account.id().toString();
        Request[] routes = {
            new Request("POST", "/v1/quotes", user, "application/json", body(random)),
            new Request("POST", "/v1/generations", user, "application/json", body(random)),
            new Request("GET", "/v1/generations/" + id, user, null, null),
            new Request("GET", "/v1/generations?limit=" + query(random) + "&cursor=" + query(random), user, null, null),
            new Request("POST", "/v1/generations/" + id + "/cancel", user, "application/json", random.nextBoolean() ? "" : body(random)),
            new Request("GET", "/v1/wallet", user, null, null),
            new Request("GET", "/v1/wallet/transactions?limit=" + query(random) + "&cursor=" + query(random), user, null, null),
            new Request("GET", "/v1/models?x=" + query(random), user, null, null),
            new Request("POST", "/admin/v1/accounts", admin, "application/json", body(random)),
            new Request("GET", "/admin/v1/accounts/" + id, admin, null, null),
            new Request("POST", "/admin/v1/accounts/" + id + "/adjustments", admin, "application/json", body(random)),
            new Request("GET", "/admin/v1/accounts/" + id + "/ledger?limit=" + query(random) + "&cursor=" + query(random), admin, null, null),
            new Request("POST", "/admin/v1/accounts/" + pick(random, SEGMENTS) + "/chargeback", admin, "application/json", body(random)),
            new Request("POST", "/admin/v1/models/" + pick(random, SEGMENTS) + "/prices", admin, "application/json", body(random)),
            new Request("POST", "/admin/v1/routes/" + pick(random, SEGMENTS) + "/" + pick(random, SEGMENTS) + "/reset", admin,
                "application/json", ""),
            new Request("GET", "/admin/v1/generations?status=" + query(random) + "&account=" + query(random) + "&overdue=" + query(random)
                + "&limit=" + query(random), admin, null, null),
            new Request("GET", "/admin/v1/generations/" + id, admin, null, null),
            new Request("POST", "/v1/keys", user, "application/json", body(random)),
            new Request("POST", "/v1/keys/" + id + "/" + (random.nextBoolean() ? "revoke" : "rotate"), user, "application/json", body(random)),
            new Request("POST", "/v1/tokens", user, "application/json", body(random)),
            new Request("POST", "/admin/v1/keys", admin, "application/json", body(random)),
            new Request("POST", "/v1/webhooks", user, "application/json", body(random)),
            new Request("GET", "/v1/webhooks/" + id + "/deliveries?limit=" + query(random) + "&cursor=" + query(random), user, null, null),
            new Request("GET", "/v1/webhooks/deliveries/" + id, user, null, null),
            new Request("POST", "/v1/webhooks/deliveries/" + id + "/replay", user, "application/json", body(random)),
            new Request("POST", "/v1/webhooks/" + id + "/disable", user, "application/json", body(random)),
            new Request("POST", "/admin/v1/keys/" + id + "/revoke", admin, "application/json", body(random)),
            new Request("POST", "/webhooks/nowpayments", null, "application/json", body(random)),
            new Request("POST", "/webhooks/yookassa", null, "application/json", body(random)),
            new Request("POST", "/webhooks/lava", null, "application/json", body(random)),
            new Request("POST", "/webhooks/" + (random.nextBoolean() ? "robokassa" : "freekassa"), null, "application/x-www-form-urlencoded",
                "OutSum=" + query(random) + "&InvId=" + query(random) + "&AMOUNT=" + query(random) + "&SIGN=" + query(random)),
            new Request("POST", "/v1/topups", user, "application/json", body(random)),
            new Request("GET", "/v1/topups/" + id, user, null, null),
            new Request("GET", "/v1/activity?from=" + query(random) + "&to=" + query(random) + "&cursor=" + query(random) + "&limit="
                + query(random), user, null, null),
            new Request("PATCH", "/v1/account", user, "application/json", body(random)),
            new Request("POST", "/v1/account/erase", user, "application/json", body(random)),
            new Request("POST", "/admin/v1/accounts/" + pick(random, SEGMENTS) + "/" + (random.nextBoolean() ? "suspend" : "unblock"), admin,
                "application/json", body(random)),
            new Request("GET", "/admin/v1/activity?account=" + query(random) + "&from=" + query(random), admin, null, null),
            new Request("POST", "/webhooks/providers/" + pick(random, SEGMENTS), null, "application/json", body(random)),
            new Request("POST", "/v1/generations", user, pick(random, new String[] {"text/plain", "application/xml", "application/json;charset=latin1"}),
                body(random)),
        };
        return routes[random.nextInt(routes.length)];
    }

    /** A JSON object of random fields and hostile values, sometimes nested, sometimes not JSON at all. */
    private static String body(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> pick(random, VALUES);
            case 1 -> "{\"model\":\"emu-image\",\"inputs\":{\"prompt\":" + pick(random, VALUES) + ",\"n\":" + pick(random, VALUES) + "}}";
            case 2 -> "[".repeat(3_000) + "]".repeat(3_000);
            case 3 -> "{\"model\":" + pick(random, VALUES);
            default -> {
                StringBuilder b = new StringBuilder("{");
                int fields = 1 + random.nextInt(4);
                for (int f = 0; f < fields; f++) {
                    b.append(f > 0 ? "," : "").append('"').append(pick(random, FIELDS)).append("\":").append(pick(random, VALUES));
                }
                yield b.append('}').toString();
            }
        };
    }

    private static String query(Random random) {
        return URLEncoder.encode(switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "-5";
            case 2 -> "99999999999999999999";
            case 3 -> "\u0000";
            case 4 -> "\ud83e\udd8a" + "z".repeat(random.nextInt(2_000));
            default -> pick(random, SEGMENTS);
        }, StandardCharsets.UTF_8);
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static HttpResponse<String> send(Request request) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + request.path())).timeout(Duration.ofSeconds(30));
        if (request.key() != null) {
            b.header("Authorization", "Bearer " + request.key());
        }
        if (request.contentType() != null) {
            b.header("Content-Type", request.contentType());
        }
        b.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(request.body()));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What is wrong with the answer, or null. */
    private static String judge(Request request, HttpResponse<String> r, String rowsBefore) {
        int status = r.statusCode();
        if (status >= 500) {
            return status + " for " + request + ": " + r.body();
        }
        if (status < 400) {
            return null;
        }
        JsonNode error;
        try {
            error = JSON.readTree(r.body()).path("error");
        } catch (Exception e) {
            return status + " without the error shape for " + request + ": " + r.body();
        }
        if (!CODES.contains(error.path("code").asText()) || error.path("message").asText().isBlank()) {
            return status + " with an undocumented code or no message for " + request + ": " + r.body();
        }
        String after = rows();
        return after.equals(rowsBefore) ? null : status + " for " + request + " changed rows: " + rowsBefore + " -> " + after;
    }

    /** A client's bad request is the client's fault: at most one line, below WARN; ERROR is for genq's own. */
    private static String judgeLog(Request request, List<Logs.Line> lines) {
        boolean quiet = lines.size() <= 1 && lines.stream().noneMatch(l -> l.level().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        return quiet ? null : "logged " + lines + " for " + request;
    }

    /** Counts of the rows a refused request must not touch, and the wallets' sums. */
    private static String rows() {
        return Fixtures.query("""
            SELECT (SELECT count(*) FROM generation) || '/' || (SELECT count(*) FROM ledger_transfer) || '/'
                   || (SELECT count(*) FROM payment) || '/' || (SELECT count(*) FROM account) || '/'
                   || (SELECT coalesce(sum(credits_posted - debits_posted - debits_pending), 0) FROM wallet)""", rs -> rs.getString(1))
            .getFirst();
    }
}
