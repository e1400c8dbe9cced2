package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replicate predictions, as the HTTP API reference describes them (replicate.com/docs/reference/http,
 * read 2026-12) and the official client's types ({@code replicate} 1.4 on npm) require them:
 * {@code POST /v1/models/{owner}/{name}/predictions}, {@code POST /v1/predictions} with a
 * {@code version} (one registered with {@link #version}; any other is 422), {@code GET
 * /v1/predictions/{id}}, {@code POST /v1/predictions/{id}/cancel}. A prediction carries {@code id,
 * model, version, input} (as sent), {@code source, status, output, error, logs, data_removed,
 * created_at, started_at, completed_at, urls{get,cancel,web}} and, once ended, {@code metrics}.
 * Statuses: starting, processing, then succeeded, failed, canceled or aborted (terminated before it
 * started); an ended prediction never changes, and a cancel of one answers it as it is. Output is a
 * URL (video, audio) or a list of URLs (images) that expire. Errors are problem details. Webhooks go
 * for the events of {@code webhook_events_filter} (start, output, logs, completed; all when absent),
 * signed by the Standard Webhooks scheme with the account's {@code whsec_} secret. No idempotency
 * key: tasks are counted by prompt. {@code [aborted]} ends a prediction aborted; {@code [odd-status]}
 * keeps it in a status the client's types do not name, as a vendor may add one.
 */
public final class ReplicateEmulator extends VendorEmulator {
    private static final Set<String> EVENTS = Set.of("start", "output", "logs", "completed");
    private final Map<String, String> webhookSecrets = new ConcurrentHashMap<>();
    private final Map<String, String> modelsByVersion = new ConcurrentHashMap<>();
    private final Map<String, Prediction> predictions = new ConcurrentHashMap<>();

    /** What a create fixed: the version it ran and its input, as sent. */
    private record Prediction(String version, JsonNode input) {
    }

    public ReplicateEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext("/v1/", this::handle);
    }

    /** Signs webhooks of the account with {@code key} using {@code whsecSecret} ({@code whsec_<base64>}). */
    public void webhookSecret(String key, String whsecSecret) {
        webhookSecrets.put(key, whsecSecret);
    }

    /** Makes {@code versionId} a version of {@code model} ({@code owner/name}), so predictions may pin it. */
    public void version(String versionId, String model) {
        modelsByVersion.put(versionId, model);
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
                error(exchange, 401, "Unauthenticated", "You did not pass a valid authentication token");
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
                    error(exchange, 404, "Not found", "The requested resource could not be found.");
                } else if (cancel && !cancel(task) && task.behaviour.has("nocancel") && !ended(task)) {
                    error(exchange, 409, "Conflict", "This prediction cannot be canceled.");
                } else if (cancel) {
                    sendJson(exchange, 200, prediction(task)); // an ended prediction is answered as it is
                } else if (!garbledStatus(exchange, task)) {
                    sendJson(exchange, 200, prediction(task));
                }
            } else {
                error(exchange, 404, "Not found", "The requested resource could not be found.");
            }
        }
    }

    private void create(HttpExchange exchange, String account, String model) throws IOException {
        JsonNode body = readJson(exchange);
        if (body == null || !body.path("input").isObject()) {
            error(exchange, 422, "Input validation failed", "input is required");
            return;
        }
        String version = model != null ? versionOf(model) : body.path("version").asText();
        String name = model != null ? model : modelsByVersion.get(version);
        if (name == null) {
            error(exchange, 422, "Invalid version or not permitted",
                "The specified version does not exist (or perhaps you don't have permission to use it?)");
            return;
        }
        List<String> events = new java.util.ArrayList<>(EVENTS);
        if (body.has("webhook_events_filter")) {
            events.clear();
            body.get("webhook_events_filter").forEach(e -> events.add(e.asText()));
            if (!EVENTS.containsAll(events)) {
                error(exchange, 422, "Input validation failed", "webhook_events_filter: each event must be one of start, output, logs, completed");
                return;
            }
        }
        String prompt = body.path("input").path("prompt").asText("");
        Behaviour behaviour = behaviourOf(prompt);
        if (refusedBeforeStart(exchange, behaviour, prompt)) {
            return;
        }
        String webhook = body.path("webhook").asText(null);
        Task task = start(UUID.randomUUID().toString().replace("-", "").substring(0, 26), name,
            Math.max(1, body.path("input").path("num_outputs").asInt(1)), behaviour, account, prompt,
            events.contains("completed") ? webhook : null);
        predictions.put(task.id, new Prediction(version, body.get("input").deepCopy()));
        if (webhook != null && signsWebhooks(account)) {
            if (events.contains("start")) {
                deliverLater(task, webhook, 0);
            }
            if (events.contains("logs")) {
                deliverLater(task, webhook, behaviour.latencyMs() / 2);
            }
            if (events.contains("output") && !behaviour.fail() && !behaviour.has("aborted")) {
                deliverLater(task, webhook, behaviour.latencyMs() + 5);
            }
        }
        if (!spoiledAnswer(exchange, behaviour, prompt)) {
            sendJson(exchange, 201, prediction(task));
        }
    }

    /** A model's latest version id: 64 hex digits, stable for the model. */
    private static String versionOf(String model) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean ended(Task task) {
        return task.cancelled || task.finished() && !task.behaviour.has("odd-status");
    }

    private ObjectNode prediction(Task task) {
        Prediction made = predictions.get(task.id);
        ObjectNode p = JSON.createObjectNode().put("id", task.id).put("model", task.model).put("version", made.version());
        p.set("input", made.input());
        p.put("source", "api").put("data_removed", false).put("created_at", instant(task.createdAtMs));
        ObjectNode urls = p.putObject("urls");
        urls.put("get", baseUrl() + "/v1/predictions/" + task.id).put("cancel", baseUrl() + "/v1/predictions/" + task.id + "/cancel")
            .put("web", "https://replicate.com/p/" + task.id);
        p.putNull("output");
        p.putNull("error");
        long startedAt = task.createdAtMs + task.behaviour.latencyMs() / 10;
        long now = System.currentTimeMillis();
        boolean aborted = task.behaviour.has("aborted");
        boolean started = !aborted && now >= startedAt && (!task.cancelled || task.cancelledAtMs >= startedAt);
        if (started) {
            p.put("started_at", instant(startedAt));
        }
        p.put("logs", started ? "Using seed: 42\n" + (task.finished() ? "100%|##########| 4/4\n" : "50%|#####     | 2/4\n") : "");
        if (task.cancelled) {
            return ended(p.put("status", "canceled"), task, started ? startedAt : 0, task.cancelledAtMs);
        }
        if (task.behaviour.has("odd-status")) {
            return p.put("status", "booting");
        }
        if (!task.finished()) {
            return p.put("status", started ? "processing" : "starting");
        }
        long completedAt = task.createdAtMs + task.behaviour.latencyMs();
        if (aborted) {
            return ended(p.put("status", "aborted"), task, 0, completedAt);
        }
        if (task.behaviour.fail()) {
            p.put("status", "failed").put("error", "NSFW content detected. Try running it again, or try a different prompt.");
            return ended(p, task, startedAt, completedAt);
        }
        p.put("status", "succeeded");
        if (mediaType(task.model).startsWith("image/")) {
            var outputs = p.putArray("output");
            for (int i = 0; i < task.outputs(); i++) {
                outputs.add(fileUrl(task, i));
            }
        } else {
            p.put("output", fileUrl(task, 0));
        }
        return ended(p, task, startedAt, completedAt);
    }

    /** An ended prediction: its completion time fixed, and how long it ran. */
    private static ObjectNode ended(ObjectNode p, Task task, long startedAt, long completedAt) {
        p.put("completed_at", instant(completedAt));
        ObjectNode metrics = p.putObject("metrics").put("total_time", (completedAt - task.createdAtMs) / 1000.0);
        if (startedAt > 0) {
            metrics.put("predict_time", Math.max(0, completedAt - startedAt) / 1000.0);
        }
        return p;
    }

    private static String instant(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
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
    protected void error(HttpExchange exchange, int status, String title, String detail) throws IOException {
        sendJson(exchange, status, JSON.createObjectNode().put("title", title).put("detail", detail).put("status", status));
    }
}
