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
import java.util.Map;
import java.util.UUID;

/**
 * fal's queue: {@code POST /{endpoint}?fal_webhook=…} → {@code {request_id, response_url, status_url,
 * cancel_url, queue_position}}; {@code GET /{app}/requests/{id}/status} → IN_QUEUE (with queue_position),
 * IN_PROGRESS or COMPLETED (with {@code error} when it failed); {@code GET /{app}/requests/{id}} → the
 * result ({@code images[]} or {@code video}); {@code PUT /{app}/requests/{id}/cancel}. Auth is
 * {@code Authorization: Key …}; errors are {@code {"detail": …}}. Webhooks are signed with ED25519
 * under a key published at {@code /.well-known/jwks.json}. No idempotency key: tasks are counted by prompt.
 */
public final class FalEmulator extends VendorEmulator {
    public static final String USER_ID = "fal-user-genq";
    private final KeyPair signing = ed25519();
    private volatile boolean webhooks;

    public FalEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.createContext("/", this::handle);
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
            if (requests < 0 && exchange.getRequestMethod().equals("POST")) {
                submit(exchange, key, path.substring(1));
                return;
            }
            String rest = requests < 0 ? "" : path.substring(requests + "/requests/".length());
            String id = rest.split("/")[0];
            Task task = tasks.get(id);
            if (task == null) {
                error(exchange, 404, "not_found", "Request not found");
            } else if (rest.endsWith("/cancel")) {
                if (cancel(task)) {
                    sendJson(exchange, 202, JSON.createObjectNode().put("status", "CANCELLATION_REQUESTED"));
                } else {
                    sendJson(exchange, 400, JSON.createObjectNode().put("status", "ALREADY_COMPLETED"));
                }
            } else if (rest.endsWith("/status")) {
                if (!garbledStatus(exchange, task)) {
                    sendJson(exchange, 200, status(task));
                }
            } else if (!task.finished() || task.cancelled) {
                error(exchange, 400, "not_ready", "Request is still in progress");
            } else if (task.behaviour.fail()) {
                error(exchange, 422, "failed", "content policy violation");
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
            String base = baseUrl() + "/" + app(endpoint) + "/requests/" + task.id;
            sendJson(exchange, 200, JSON.createObjectNode().put("request_id", task.id).put("gateway_request_id", task.id)
                .put("response_url", base).put("status_url", base + "/status").put("cancel_url", base + "/cancel").put("queue_position", 2));
        }
    }

    private ObjectNode status(Task task) {
        String base = baseUrl() + "/" + app(task.model) + "/requests/" + task.id;
        ObjectNode node = JSON.createObjectNode().put("response_url", base);
        if (task.cancelled || task.finished()) {
            node.put("status", "COMPLETED");
            if (task.cancelled) {
                node.put("error", "Request was cancelled").put("error_type", "request_cancelled");
            } else if (task.behaviour.fail()) {
                node.put("error", "content policy violation").put("error_type", "content_policy_violation");
            }
            return node;
        }
        if (task.progressPercent() < 30) {
            return node.put("status", "IN_QUEUE").put("queue_position", task.progressPercent() < 15 ? 1 : 0);
        }
        return node.put("status", "IN_PROGRESS");
    }

    private ObjectNode result(Task task) {
        ObjectNode result = JSON.createObjectNode();
        String type = mediaType(task.model);
        if (type.startsWith("image/")) {
            var images = result.putArray("images");
            for (int i = 0; i < task.outputs(); i++) {
                images.addObject().put("url", fileUrl(task, i)).put("content_type", type).put("width", MediaFiles.IMAGE_SIDE).put("height", MediaFiles.IMAGE_SIDE);
            }
            result.put("seed", 42);
        } else {
            result.putObject(type.startsWith("video/") ? "video" : "audio").put("url", fileUrl(task, 0)).put("content_type", type);
        }
        return result;
    }

    @Override
    protected boolean signsWebhooks(String key) {
        return webhooks;
    }

    @Override
    protected String webhookBody(Task task) {
        ObjectNode body = JSON.createObjectNode().put("request_id", task.id).put("gateway_request_id", task.id);
        if (task.finished() && !task.behaviour.fail()) {
            body.put("status", "OK").set("payload", result(task));
        } else {
            body.put("status", "ERROR").put("error", task.finished() ? "content policy violation" : "not finished");
            body.putNull("payload");
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
