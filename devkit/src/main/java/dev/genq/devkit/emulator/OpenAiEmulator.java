package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Base64;
import java.util.UUID;

/**
 * OpenAI Images: {@code POST /v1/images/generations} with {@code model, prompt, n, size,
 * response_format}, answered after the task's latency with {@code {"created","data":[{"b64_json"}|{"url"}]}}.
 * Errors are {@code {"error":{"message","type","param","code"}}}; the base64 data is a PNG unless
 * {@code [ctype=…]} names another type. No idempotency key: each call that
 * gets past the faults is a new (billed) task, counted by prompt.
 */
public final class OpenAiEmulator extends VendorEmulator {
    public OpenAiEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext("/v1/images/generations", this::generate);
    }

    private void generate(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = bearer(exchange);
            if (!accepted(key)) {
                error(exchange, 401, "invalid_api_key", "Incorrect API key provided.");
                return;
            }
            JsonNode body = readJson(exchange);
            if (body == null || !body.path("prompt").isTextual()) {
                error(exchange, 400, "invalid_request", "'prompt' is required");
                return;
            }
            String prompt = body.get("prompt").asText();
            Behaviour behaviour = behaviourOf(prompt);
            if (refusedBeforeStart(exchange, behaviour, prompt)) {
                return;
            }
            Task task = start("img_" + UUID.randomUUID(), body.path("model").asText(), Math.max(1, body.path("n").asInt(1)),
                behaviour, key, prompt, null);
            Thread.sleep(behaviour.latencyMs());
            if (spoiledAnswer(exchange, behaviour, prompt)) {
                return;
            }
            if (behaviour.fail()) {
                error(exchange, 400, rejectCode(), "Your request was rejected as a result of our safety system.");
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("created", System.currentTimeMillis() / 1000);
            ArrayNode data = answer.putArray("data");
            boolean urls = "url".equals(body.path("response_format").asText());
            for (int i = 0; i < task.outputs(); i++) {
                ObjectNode image = data.addObject();
                if (urls) {
                    image.put("url", fileUrl(task, i));
                } else {
                    image.put("b64_json", Base64.getEncoder().encodeToString(outputBytes(task, i)));
                }
                image.put("revised_prompt", prompt);
            }
            sendJson(exchange, 200, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected String rejectCode() {
        return "content_policy_violation";
    }

    @Override
    protected void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", status >= 500 ? "server_error" : "invalid_request_error")
            .putNull("param").put("code", code);
        sendJson(exchange, status, body);
    }
}
