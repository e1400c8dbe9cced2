package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replicate predictions: {@code POST /v1/models/{owner}/{name}/predictions} and {@code POST
 * /v1/predictions} (with {@code version}), {@code GET /v1/predictions/{id}}, {@code POST
 * /v1/predictions/{id}/cancel}. Statuses starting, processing, succeeded, failed, canceled; output a
 * URL (video, audio) or a list of URLs (images) that expire. Errors are problem details. Webhooks are
 * signed by the Standard Webhooks scheme with the account's {@code whsec_} secret. No idempotency
 * key: tasks are counted by prompt.
 */
public final class ReplicateEmulator extends VendorEmulator {
    private final Map<String, String> webhookSecrets = new ConcurrentHashMap<>();
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    public ReplicateEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext("/v1/", this::handle);
    }

    /** Signs webhooks of the account with {@code key} using {@code whsecSecret} ({@code whsec_<base64>}). */
    public void webhookSecret(String key, String whsecSecret) {
        webhookSecrets.put(key, whsecSecret);
    }

    /** A fresh signing secret in Replicate's format. */
    public static String newWebhookSecret() {
        byte[] key = new byte[24];
        new java.security.SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = bearer(exchange);
            if (!accepted(key)) {
                error(exchange, 401, "unauthenticated", "You did not pass a valid authentication token");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.startsWith("/v1/models/") && path.endsWith("/predictions")) {
                create(exchange, key, path.substring("/v1/models/".length(), path.length() - "/predictions".length()));
            } else if (method.equals("POST") && path.equals("/v1/predictions")) {
                create(exchange, key, null);
            } else if (path.startsWith("/v1/predictions/")) {
                boolean cancel = method.equals("POST") && path.endsWith("/cancel");
                Task task = tasks.get(path.substring("/v1/predictions/".length(), path.length() - (cancel ? "/cancel".length() : 0)));
                if (task == null) {
                    error(exchange, 404, "not_found", "Not found.");
                } else if (cancel && !cancel(task) && task.behaviour.has("nocancel")) {
                    error(exchange, 409, "conflict", "This prediction cannot be canceled.");
                } else if (cancel) {
                    sendJson(exchange, 200, prediction(task)); // an ended prediction is answered as it is
                } else if (!garbledStatus(exchange, task)) {
                    sendJson(exchange, 200, prediction(task));
                }
            } else {
                error(exchange, 404, "not_found", "Not found.");
            }
        }
    }

    private void create(HttpExchange exchange, String account, String model) throws IOException {
        JsonNode body = readJson(exchange);
        if (body == null || !body.path("input").isObject()) {
            error(exchange, 422, "invalid", "input is required");
            return;
        }
        String name = model != null ? model : body.path("version").asText();
        String prompt = body.path("input").path("prompt").asText("");
        Behaviour behaviour = behaviourOf(prompt);
        if (refusedBeforeStart(exchange, behaviour, prompt)) {
            return;
        }
        boolean completedEvents = !body.has("webhook_events_filter") || body.get("webhook_events_filter").toString().contains("completed");
        Task task = start(UUID.randomUUID().toString().replace("-", "").substring(0, 26), name,
            Math.max(1, body.path("input").path("num_outputs").asInt(1)), behaviour, account, prompt,
            completedEvents ? body.path("webhook").asText(null) : null);
        versions.put(task.id, model == null ? name : "v" + Math.abs(name.hashCode()));
        if (!spoiledAnswer(exchange, behaviour, prompt)) {
            sendJson(exchange, 201, prediction(task));
        }
    }

    private ObjectNode prediction(Task task) {
        ObjectNode p = JSON.createObjectNode().put("id", task.id).put("model", task.model).put("version", versions.get(task.id));
        p.putObject("input").put("prompt", task.marker);
        p.put("logs", "").put("created_at", Instant.ofEpochMilli(task.createdAtMs).toString());
        p.putObject("urls").put("get", baseUrl() + "/v1/predictions/" + task.id).put("cancel", baseUrl() + "/v1/predictions/" + task.id + "/cancel");
        p.putNull("output");
        p.putNull("error");
        if (task.cancelled) {
            return p.put("status", "canceled");
        }
        if (!task.finished()) {
            return p.put("status", task.progressPercent() < 10 ? "starting" : "processing");
        }
        if (task.behaviour.fail()) {
            return p.put("status", "failed").put("error", "NSFW content detected. Try running it again, or try a different prompt.");
        }
        p.put("status", "succeeded").put("completed_at", Instant.now().toString());
        if (mediaType(task.model).startsWith("image/")) {
            var outputs = p.putArray("output");
            for (int i = 0; i < task.outputs(); i++) {
                outputs.add(fileUrl(task, i));
            }
        } else {
            p.put("output", fileUrl(task, 0));
        }
        return p;
    }

    @Override
    protected boolean signsWebhooks(String key) {
        return webhookSecrets.containsKey(String.valueOf(key));
    }

    @Override
    protected String webhookBody(Task task) {
        return prediction(task).toString();
    }

    @Override
    protected Map<String, String> webhookHeaders(Task task, String body, boolean forged) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String secret = forged ? newWebhookSecret() : webhookSecrets.get(task.account);
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(Signing.hmacSha256(key, id + "." + timestamp + "." + body)));
        return headers;
    }

    @Override
    protected void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("title", code).put("detail", message).put("status", status);
        sendJson(exchange, status, body);
    }
}
