package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * genq's generic async provider protocol:
 * <pre>
 * POST /v1/tasks            {"model","input":{...},"units":n,"webhook"} + Idempotency-Key  → 201 {"id","status"}
 * GET  /v1/tasks/{id}       → {"id","status":queued|running|succeeded|failed|canceled,"progress","outputs":[{"url","content_type"}],"error"}
 * POST /v1/tasks/{id}/cancel → the task, now canceled; 409 cannot_cancel once it ended (or [nocancel])
 * </pre>
 * Errors are {"error":{"code","message"}}. A submit with a known Idempotency-Key returns the task
 * already made for it instead of starting another, as real vendors do; tasks are counted by that key.
 * Webhooks carry {@code webhook-timestamp} and {@code webhook-signature: v1=<hex HMAC-SHA256 of "timestamp.body">}.
 */
public final class ProviderEmulator extends VendorEmulator {
    private final String apiKey;
    private final Map<String, String> webhookSecrets = new ConcurrentHashMap<>();

    public ProviderEmulator(int port, String apiKey, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        this.apiKey = apiKey;
        acceptKey(apiKey);
        server.createContext("/v1/tasks", this::tasks);
    }

    public String apiKey() {
        return apiKey;
    }

    /** Signs webhooks of the account with {@code key} using {@code secret}. */
    public void webhookSecret(String key, String secret) {
        webhookSecrets.put(key, secret);
    }

    private void tasks(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = bearer(exchange);
            if (!accepted(key)) {
                error(exchange, 401, "unauthorized", "missing or wrong API key");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/v1/tasks")) {
                submit(exchange, key);
                return;
            }
            boolean cancel = method.equals("POST") && path.endsWith("/cancel");
            Task task = tasks.get(path.substring("/v1/tasks/".length(), path.length() - (cancel ? "/cancel".length() : 0)));
            if (task == null || !(cancel || method.equals("GET"))) {
                error(exchange, 404, "not_found", "no such task");
                return;
            }
            if (cancel && !cancel(task)) {
                error(exchange, 409, "cannot_cancel", "the task can no longer be canceled");
                return;
            } else if (!cancel && garbledStatus(exchange, task)) {
                return;
            }
            sendJson(exchange, 200, status(task));
        }
    }

    private void submit(HttpExchange exchange, String account) throws IOException {
        JsonNode body = readJson(exchange);
        if (body == null) {
            error(exchange, 400, "invalid_json", "body is not JSON");
            return;
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        String marker = key != null ? key : UUID.randomUUID().toString();
        String model = body.path("model").asText();
        JsonNode input = body.path("input"); // directives ride in the prompt, or in an order's link
        Behaviour behaviour = behaviourOf(input.has("prompt") ? input.path("prompt").asText() : input.path("link").asText(null));
        if (refusedBeforeStart(exchange, behaviour, marker)) {
            return;
        }
        Task task = existing(marker);
        boolean created = task == null;
        if (created) {
            task = start("task_" + UUID.randomUUID().toString().replace("-", ""), model, Math.max(1, body.path("units").asInt(1)),
                behaviour, account, marker, body.path("webhook").asText(null));
        }
        if (!spoiledAnswer(exchange, behaviour, marker)) {
            sendJson(exchange, created ? 201 : 200, status(task));
        }
    }

    @Override
    protected boolean signsWebhooks(String key) {
        return webhookSecrets.containsKey(String.valueOf(key));
    }

    @Override
    protected String webhookBody(Task task) {
        return status(task).toString();
    }

    @Override
    protected Map<String, String> webhookHeaders(Task task, String body, boolean forged) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String secret = forged ? "not-the-secret" : webhookSecrets.get(task.account);
        return Map.of("webhook-timestamp", timestamp, "webhook-signature", "v1=" + Signing.hmacSha256Hex(secret, timestamp + "." + body));
    }

    private ObjectNode status(Task task) {
        ObjectNode node = JSON.createObjectNode().put("id", task.id);
        if (task.cancelled) {
            return node.put("status", "canceled");
        }
        if (!task.finished()) {
            return node.put("status", task.progressPercent() < 10 ? "queued" : "running").put("progress", task.progressPercent());
        }
        if (task.behaviour.fail()) {
            node.put("status", "failed");
            node.putObject("error").put("code", "content_policy").put("message", "the output was blocked by the content policy");
            return node;
        }
        node.put("status", "succeeded").put("progress", 100);
        ArrayNode outputs = node.putArray("outputs");
        for (int i = 0; i < task.outputs(); i++) {
            outputs.addObject().put("url", fileUrl(task, i)).put("content_type", mediaType(task.model));
        }
        return node;
    }

    @Override
    protected void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        sendJson(exchange, status, body);
    }
}
