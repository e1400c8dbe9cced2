package dev.genq.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A plain HTTP client of genq's API, as a customer's backend would use it. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Map<String, String> PEOPLE = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    Api(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
        String errorCode() {
            return body.path("error").path("code").asText(null);
        }
    }

    /** An account opened through the admin API. */
    record Account(UUID id, String key) {
    }

    Response get(String path, String key) {
        return get(path, key, java.util.Map.of());
    }

    /** A GET with extra headers, such as If-None-Match. */
    Response get(String path, String key, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        headers.forEach(request::header);
        return send(request, key);
    }

    Response post(String path, String key, String jsonBody) {
        return post(path, key, jsonBody, java.util.Map.of());
    }

    Response patch(String path, String key, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(jsonBody)), key);
    }

    /** A GET whose answer is bytes (an export's ZIP). */
    HttpResponse<byte[]> bytes(String path, String key) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A POST with extra headers, such as Idempotency-Key. */
    Response post(String path, String key, String jsonBody, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        headers.forEach(request::header);
        return send(request, key);
    }

    Account newAccount(long coins) {
        Response r = post("/admin/v1/accounts", admin("test"), "{\"name\":\"test\",\"initialCoins\":" + coins + "}");
        if (r.status() != 201) {
            throw new IllegalStateException("could not open an account: " + r);
        }
        return new Account(UUID.fromString(r.body().path("id").asText()), r.body().path("apiKey").asText());
    }

    /** An admin-role key of this person, made once with the bootstrap key; what they change is recorded as theirs. */
    String admin(String person) {
        return PEOPLE.computeIfAbsent(base + " " + person, k -> {
            Response r = post("/admin/v1/keys", GenqStack.ADMIN_KEY, "{\"person\":\"" + person + "\",\"role\":\"admin\"}");
            if (r.status() != 201) {
                throw new IllegalStateException("could not make an admin key: " + r);
            }
            return r.body().path("key").asText();
        });
    }

    Response submit(Account account, String model, String inputsJson) {
        return post("/v1/generations", account.key(), "{\"model\":\"" + model + "\",\"inputs\":" + inputsJson + "}");
    }

    /** Submits and returns the new generation's id, insisting on 202. */
    String submitted(Account account, String model, String inputsJson) {
        Response r = submit(account, model, inputsJson);
        if (r.status() != 202) {
            throw new AssertionError("submit was refused: " + r);
        }
        return r.body().path("id").asText();
    }

    long balance(Account account) {
        return get("/v1/wallet", account.key()).body().path("balanceCoins").asLong();
    }

    /** Polls the generation until it is SUCCEEDED, FAILED or CANCELLED, or the timeout passes. */
    JsonNode awaitEnd(Account account, String id, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode g = get("/v1/generations/" + id, account.key()).body();
            String status = g.path("status").asText();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return g;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("generation " + id + " still " + status + " after " + timeout + ": " + Fixtures.query(
                    "SELECT attempts, provider_task_id, next_check_at - now(), provider_deadline_at - now() FROM generation WHERE id = ?",
                    rs -> rs.getInt(1) + " attempt(s), task " + rs.getString(2) + ", next check in " + rs.getString(3)
                        + ", deadline in " + rs.getString(4), UUID.fromString(id)));
            }
            Thread.sleep(200);
        }
    }

    HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private Response send(HttpRequest.Builder request, String key) {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), body, response.body(), response.headers());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("request to genq failed", e);
        }
    }
}
