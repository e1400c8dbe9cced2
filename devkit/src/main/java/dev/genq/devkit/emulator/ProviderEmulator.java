package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.genq.devkit.Exchanges;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * genq's generic async provider protocol:
 * <pre>
 * POST /v1/tasks            {"model","input":{...},"units":n} + Idempotency-Key  → 201 {"id","status"}
 * GET  /v1/tasks/{id}       → {"id","status":queued|running|succeeded|failed,"progress","outputs":[{"url","content_type"}],"error"}
 * POST /v1/tasks/{id}/cancel → the task, now canceled
 * GET  /v1/files/{id}/{i}   → the output's bytes
 * </pre>
 * Errors are {"error":{"code","message"}}. A submit with a known Idempotency-Key returns the task
 * already made for it instead of starting another, as real vendors do.
 */
public final class ProviderEmulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String apiKey;
    /** Accepted keys (vendor accounts) and, per key, tasks in flight now and at most. */
    private final Map<String, AtomicInteger> activeByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> peakByKey = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService timers =
        Executors.newScheduledThreadPool(1, Thread.ofVirtual().factory());
    private final Map<String, Behaviour> modelBehaviour = new ConcurrentHashMap<>();
    private final Behaviour defaults;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final Map<String, Task> tasksByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> submitsByKey = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();

    private record Task(String id, String model, int units, Behaviour behaviour, long createdAtMs, String account,
                        String webhook, String prompt) {
    }

    private final Map<String, String> webhookSecrets = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Integer>> webhookAnswers = new ConcurrentHashMap<>();
    private final java.net.http.HttpClient webhookClient = java.net.http.HttpClient.newHttpClient();

    public ProviderEmulator(int port, String apiKey, long defaultLatencyMs) throws IOException {
        this.apiKey = apiKey;
        this.defaults = Behaviour.defaults(defaultLatencyMs);
        acceptKey(apiKey);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/tasks", this::tasks);
        server.createContext("/v1/files/", this::file);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String apiKey() {
        return apiKey;
    }

    /** Accepts another vendor account's key; each account's concurrency is tracked apart. */
    public void acceptKey(String key) {
        activeByKey.putIfAbsent(key, new AtomicInteger());
        peakByKey.putIfAbsent(key, new AtomicInteger());
    }

    /** Most tasks of the account with {@code key} that were ever in flight at once. */
    public int peakConcurrency(String key) {
        return peakByKey.get(key).get();
    }

    /** Sets how tasks of {@code model} behave unless their prompt says otherwise. */
    public void behave(String model, Behaviour behaviour) {
        modelBehaviour.put(model, behaviour);
    }

    /** How many submits arrived with this idempotency key, failed ones included. */
    public int submits(String idempotencyKey) {
        AtomicInteger n = submitsByKey.get(idempotencyKey);
        return n == null ? 0 : n.get();
    }

    /** How many distinct tasks were started for this idempotency key (a vendor bills each one). */
    public int tasksStarted(String idempotencyKey) {
        return tasksByKey.containsKey(idempotencyKey) ? 1 : 0;
    }

    /** Whether the task made for {@code idempotencyKey} was cancelled. */
    public boolean cancelled(String idempotencyKey) {
        Task task = tasksByKey.get(idempotencyKey);
        return task != null && cancelled.containsKey(task.id());
    }

    /** The bytes the task made for {@code idempotencyKey} serves as output {@code index}. */
    public byte[] expectedOutput(String idempotencyKey, int index) {
        Task task = tasksByKey.get(idempotencyKey);
        if (task == null) {
            throw new IllegalArgumentException("no task was started for " + idempotencyKey);
        }
        return outputBytes(task.id(), index, task.behaviour().outputBytes());
    }

    /** The bytes output {@code index} of a task serves; deterministic, so tests can compare. */
    public static byte[] outputBytes(String taskId, int index, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(taskId.hashCode() * 31L + index).nextBytes(bytes);
        return bytes;
    }

    private void tasks(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String key = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
            if (apiKey != null && (key == null || !activeByKey.containsKey(key))) {
                error(exchange, 401, "unauthorized", "missing or wrong API key");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/tasks")) {
                submit(exchange, key);
            } else if (exchange.getRequestMethod().equals("POST") && path.startsWith("/v1/tasks/") && path.endsWith("/cancel")) {
                Task task = tasks.get(path.substring("/v1/tasks/".length(), path.length() - "/cancel".length()));
                if (task == null) {
                    error(exchange, 404, "not_found", "no such task");
                } else {
                    cancelled.put(task.id(), true);
                    send(exchange, 200, status(task));
                }
            } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/v1/tasks/")) {
                Task task = tasks.get(path.substring("/v1/tasks/".length()));
                if (task == null) {
                    error(exchange, 404, "not_found", "no such task");
                } else {
                    send(exchange, 200, status(task));
                }
            } else {
                error(exchange, 405, "method_not_allowed", "not supported");
            }
        }
    }

    private void submit(HttpExchange exchange, String account) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            error(exchange, 400, "invalid_json", "body is not JSON");
            return;
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            key = UUID.randomUUID().toString();
        }
        int attempt = submitsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        String model = body.path("model").asText();
        Behaviour behaviour = modelBehaviour.getOrDefault(model, defaults).withPrompt(body.path("input").path("prompt").asText(null));
        if (attempt <= behaviour.throttles()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            error(exchange, 429, "rate_limited", "slow down");
            return;
        }
        if (attempt <= behaviour.throttles() + behaviour.transientFailures()) {
            error(exchange, 503, "unavailable", "temporarily overloaded");
            return;
        }
        if (behaviour.reject()) {
            error(exchange, 400, "content_policy", "the prompt was rejected by the content policy");
            return;
        }
        int units = Math.max(1, body.path("units").asInt(1));
        String webhook = body.path("webhook").asText(null);
        String prompt = body.path("input").path("prompt").asText("");
        String idempotencyKey = key;
        Task task = tasksByKey.computeIfAbsent(key, k -> started(new Task("task_" + UUID.randomUUID().toString().replace("-", ""),
            model, units, behaviour, System.currentTimeMillis(), account, webhook, prompt), idempotencyKey));
        tasks.put(task.id(), task);
        send(exchange, attempt == 1 ? 201 : 200, status(task));
    }

    /**
     * Counts a new task as in flight for its account until its latency has passed, then calls its
     * webhook if it gave one ({@code [webhook-early]} calls it at once, before the submit answers;
     * {@code [webhook-badsig]} signs with the wrong secret).
     */
    private Task started(Task task, String idempotencyKey) {
        if (task.account() != null) {
            int now = activeByKey.get(task.account()).incrementAndGet();
            peakByKey.get(task.account()).accumulateAndGet(now, Math::max);
            timers.schedule(() -> activeByKey.get(task.account()).decrementAndGet(),
                task.behaviour().latencyMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (task.webhook() != null && webhookSecrets.containsKey(String.valueOf(task.account()))) {
            long delay = task.prompt().contains("[webhook-early]") ? 0 : task.behaviour().latencyMs();
            timers.schedule(() -> callWebhook(task, idempotencyKey), delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return task;
    }

    /** Signs webhooks of the account with {@code key} using {@code secret}: HMAC-SHA256 of "timestamp.body", hex. */
    public void webhookSecret(String key, String secret) {
        webhookSecrets.put(key, secret);
    }

    /** The HTTP statuses genq answered to the webhooks of the task made for {@code idempotencyKey}. */
    public java.util.List<Integer> webhookAnswers(String idempotencyKey) {
        return webhookAnswers.getOrDefault(idempotencyKey, java.util.List.of());
    }

    private void callWebhook(Task task, String idempotencyKey) {
        try {
            String body = JSON.writeValueAsString(status(task));
            String timestamp = Long.toString(System.currentTimeMillis() / 1000);
            String secret = task.prompt().contains("[webhook-badsig]") ? "not-the-secret" : webhookSecrets.get(task.account());
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "v1=" + java.util.HexFormat.of().formatHex(
                mac.doFinal((timestamp + "." + body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            int status = webhookClient.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(task.webhook()))
                .header("Content-Type", "application/json").header("webhook-timestamp", timestamp).header("webhook-signature", signature)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            webhookAnswers.computeIfAbsent(idempotencyKey, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(status);
        } catch (Exception e) {
            webhookAnswers.computeIfAbsent(idempotencyKey, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(-1);
        }
    }

    private ObjectNode status(Task task) {
        long elapsed = System.currentTimeMillis() - task.createdAtMs();
        long latency = task.behaviour().latencyMs();
        ObjectNode node = JSON.createObjectNode().put("id", task.id());
        if (cancelled.containsKey(task.id())) {
            return node.put("status", "canceled");
        }
        if (elapsed < latency) {
            node.put("status", elapsed < latency / 10 ? "queued" : "running");
            node.put("progress", (int) (100 * elapsed / Math.max(1, latency)));
            return node;
        }
        if (task.behaviour().fail()) {
            node.put("status", "failed");
            node.putObject("error").put("code", "content_policy").put("message", "the output was blocked by the content policy");
            return node;
        }
        node.put("status", "succeeded").put("progress", 100);
        ArrayNode outputs = node.putArray("outputs");
        int delivered = task.behaviour().deliver() >= 0 ? Math.min(task.behaviour().deliver(), task.units()) : task.units();
        if (task.model().contains("text")) {
            delivered = 1;
        }
        for (int i = 0; i < delivered; i++) {
            outputs.addObject().put("url", baseUrl() + "/v1/files/" + task.id() + "/" + i).put("content_type", contentType(task.model()));
        }
        return node;
    }

    private void file(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> parts = List.of(exchange.getRequestURI().getPath().substring("/v1/files/".length()).split("/"));
            Task task = parts.size() == 2 ? tasks.get(parts.get(0)) : null;
            if (task == null) {
                error(exchange, 404, "not_found", "no such file");
                return;
            }
            byte[] bytes = outputBytes(task.id(), Integer.parseInt(parts.get(1)), task.behaviour().outputBytes());
            exchange.getResponseHeaders().set("Content-Type",
                task.behaviour().contentType() != null ? task.behaviour().contentType() : contentType(task.model()));
            exchange.sendResponseHeaders(200, task.behaviour().chunked() ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String contentType(String model) {
        if (model.contains("video")) {
            return "video/mp4";
        }
        if (model.contains("voice") || model.contains("audio")) {
            return "audio/mpeg";
        }
        return model.contains("text") ? "text/plain" : "image/png";
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        Exchanges.sendJson(exchange, status, JSON.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        timers.shutdownNow();
        server.stop(0);
    }
}
