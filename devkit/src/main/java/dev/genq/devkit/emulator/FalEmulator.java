package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fal's queue, as its documentation describes it (docs.fal.ai: Queue, Request errors, Webhooks,
 * read 2026-12) and the official client ({@code @fal-ai/client} 1.10 on npm) reads it. {@code POST
 * /{endpoint}?fal_webhook=…} for an endpoint the emulator serves ({@link #serve}; any other is 404) →
 * {@code {status: IN_QUEUE, request_id, response_url, status_url, cancel_url, queue_position}};
 * {@code GET /{app}/requests/{id}/status[?logs=1]} → {@code {status, request_id, response_url,
 * status_url, cancel_url, logs}}: IN_QUEUE (with queue_position) and IN_PROGRESS answer 202, COMPLETED
 * (with metrics) 200; {@code logs} holds the runner's lines when asked for, else none. {@code GET
 * /{app}/requests/{id}} → the result ({@code images[]} or {@code video}), or why it failed: a model
 * error 422 {@code {"detail":[{"loc","msg","type"}]}}, a cancelled request 499
 * {@code {"detail","error_type":"client_cancelled"}} (with {@code X-Fal-Error-Type}). {@code PUT
 * /{app}/requests/{id}/cancel} → 202 CANCELLATION_REQUESTED, or 400 ALREADY_COMPLETED. Auth is
 * {@code Authorization: Key …}; other errors are {@code {"detail": …}}. Webhooks ({@code status} OK
 * with the result as payload, or ERROR with the error answer as payload) are signed with ED25519
 * under a key published at {@code /.well-known/jwks.json}. No idempotency key: tasks are counted by
 * prompt.
 */
public final class FalEmulator extends VendorEmulator {
    public static final String USER_ID = "fal-user-genq";
    private final KeyPair signing = ed25519();
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();
    private volatile boolean webhooks;

    public FalEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.createContext("/", this::handle);
    }

    /** Serves the endpoints (e.g. {@code fal-ai/flux/dev}); requests to any other are 404. */
    public FalEmulator serve(String... endpointIds) {
        endpoints.addAll(List.of(endpointIds));
        return this;
    }

    /** Turns on signed webhooks for tasks that ask for one. */
    public void signWebhooks() {
        webhooks = true;
    }

    public String jwksUrl() {
        return baseUrl() + "/.well-known/jwks.json";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String key = authorization != null && authorization.startsWith("Key ") ? authorization.substring(4) : null;
            if (!accepted(key)) {
                error(exchange, 401, "unauthorized", "No user found for Key ID and Secret");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            int requests = path.indexOf("/requests/");
            if (requests < 0) {
                if (!exchange.getRequestMethod().equals("POST") || !endpoints.contains(path.substring(1))) {
                    error(exchange, 404, "not_found", "Application '" + path.substring(1) + "' not found");
                } else {
                    submit(exchange, key, path.substring(1));
                }
                return;
            }
            String rest = path.substring(requests + "/requests/".length());
            Task task = tasks.get(rest.split("/")[0]);
            if (task == null || !app(task.model).equals(path.substring(1, requests))) {
                error(exchange, 404, "not_found", "Request not found");
                return;
            }
            exchange.getResponseHeaders().set("x-fal-request-id", task.id); // the client reads a result's request id from it
            if (rest.endsWith("/cancel")) {
                if (cancel(task)) {
                    sendJson(exchange, 202, JSON.createObjectNode().put("status", "CANCELLATION_REQUESTED"));
                } else {
                    sendJson(exchange, 400, JSON.createObjectNode().put("status", "ALREADY_COMPLETED"));
                }
            } else if (rest.endsWith("/status")) {
                if (!garbledStatus(exchange, task)) {
                    ObjectNode status = status(task, "logs=1".equals(exchange.getRequestURI().getQuery()));
                    sendJson(exchange, status.path("status").asText().equals("COMPLETED") ? 200 : 202, status);
                }
            } else if (task.cancelled) {
                exchange.getResponseHeaders().set("X-Fal-Error-Type", "client_cancelled");
                sendJson(exchange, 499, cancelledError());
            } else if (!task.finished()) {
                error(exchange, 400, "not_ready", "Request is still in progress");
            } else if (task.behaviour.fail()) {
                sendJson(exchange, 422, modelError());
            } else {
                sendJson(exchange, 200, result(task));
            }
        }
    }

    private void submit(HttpExchange exchange, String account, String endpoint) throws IOException {
        JsonNode input = readJson(exchange);
        if (input == null) {
            error(exchange, 422, "invalid", "body is not JSON");
            return;
        }
        String prompt = input.path("prompt").asText("");
        Behaviour behaviour = behaviourOf(prompt);
        if (refusedBeforeStart(exchange, behaviour, prompt)) {
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        String webhook = query != null && query.startsWith("fal_webhook=") ? java.net.URLDecoder.decode(query.substring("fal_webhook=".length()), StandardCharsets.UTF_8) : null;
        Task task = start(UUID.randomUUID().toString(), endpoint, Math.max(1, input.path("num_images").asInt(1)), behaviour, account,
            prompt, webhooks ? webhook : null);
        if (!spoiledAnswer(exchange, behaviour, prompt)) {
            sendJson(exchange, 200, urls(task, JSON.createObjectNode().put("status", "IN_QUEUE").put("request_id", task.id))
                .put("queue_position", 2));
        }
    }

    private ObjectNode urls(Task task, ObjectNode node) {
        String base = baseUrl() + "/" + app(task.model) + "/requests/" + task.id;
        return node.put("response_url", base).put("status_url", base + "/status").put("cancel_url", base + "/cancel");
    }

    private ObjectNode status(Task task, boolean logs) {
        ObjectNode node = JSON.createObjectNode();
        boolean completed = task.cancelled || task.finished();
        boolean queued = !completed && task.progressPercent() < 30;
        node.put("status", completed ? "COMPLETED" : queued ? "IN_QUEUE" : "IN_PROGRESS").put("request_id", task.id);
        urls(task, node);
        if (queued) {
            node.put("queue_position", task.progressPercent() < 15 ? 1 : 0);
        }
        var lines = node.putArray("logs");
        if (logs && !queued) {
            lines.addObject().put("message", "Generating").put("level", "INFO").put("source", "USER")
                .put("timestamp", java.time.Instant.ofEpochMilli(task.createdAtMs).toString());
        }
        if (completed) {
            node.putObject("metrics").put("inference_time", task.behaviour.latencyMs() / 1000.0);
        }
        return node;
    }

    private ObjectNode result(Task task) {
        ObjectNode result = JSON.createObjectNode();
        String type = mediaType(task.model);
        if (type.startsWith("image/")) {
            var images = result.putArray("images");
            for (int i = 0; i < task.outputs(); i++) {
                images.addObject().put("url", fileUrl(task, i)).put("content_type", type).put("width", MediaFiles.IMAGE_SIDE)
                    .put("height", MediaFiles.IMAGE_SIDE);
            }
            result.put("seed", 42);
        } else {
            result.putObject(type.startsWith("video/") ? "video" : "audio").put("url", fileUrl(task, 0)).put("content_type", type);
        }
        return result;
    }

    private static ObjectNode modelError() {
        ObjectNode error = JSON.createObjectNode();
        error.putArray("detail").addObject().put("msg", "content policy violation").put("type", "content_policy_violation")
            .set("loc", JSON.createArrayNode().add("body").add("prompt"));
        return error;
    }

    private static ObjectNode cancelledError() {
        return JSON.createObjectNode().put("detail", "Request was cancelled").put("error_type", "client_cancelled");
    }

    @Override
    protected boolean signsWebhooks(String key) {
        return webhooks;
    }

    @Override
    protected String webhookBody(Task task) {
        ObjectNode body = JSON.createObjectNode().put("request_id", task.id).put("gateway_request_id", task.id);
        if (task.finished() && !task.cancelled && !task.behaviour.fail()) {
            body.put("status", "OK").set("payload", result(task));
        } else if (task.finished() || task.cancelled) {
            body.put("status", "ERROR").put("error", "Invalid status code: " + (task.cancelled ? 499 : 422))
                .set("payload", task.cancelled ? cancelledError() : modelError());
        } else {
            body.put("status", "ERROR").put("error", "not finished").putNull("payload");
        }
        return body.toString();
    }

    @Override
    protected Map<String, String> webhookHeaders(Task task, String body, boolean forged) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        try {
            String message = String.join("\n", task.id, USER_ID, timestamp,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8))));
            Signature signer = Signature.getInstance("Ed25519");
            PrivateKey key = forged ? ed25519().getPrivate() : signing.getPrivate();
            signer.initSign(key);
            signer.update(message.getBytes(StandardCharsets.UTF_8));
            Map<String, String> headers = new HashMap<>();
            headers.put("X-Fal-Webhook-Request-Id", task.id);
            headers.put("X-Fal-Webhook-User-Id", USER_ID);
            headers.put("X-Fal-Webhook-Timestamp", timestamp);
            headers.put("X-Fal-Webhook-Signature", HexFormat.of().formatHex(signer.sign()));
            return headers;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] spki = signing.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            ObjectNode body = JSON.createObjectNode();
            body.putArray("keys").addObject().put("kty", "OKP").put("crv", "Ed25519").put("kid", "emulator")
                .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
            sendJson(exchange, 200, body);
        }
    }

    private static String app(String endpoint) {
        String[] parts = endpoint.split("/");
        return parts.length <= 2 ? endpoint : parts[0] + "/" + parts[1];
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        sendJson(exchange, status, JSON.createObjectNode().put("detail", message));
    }
}
