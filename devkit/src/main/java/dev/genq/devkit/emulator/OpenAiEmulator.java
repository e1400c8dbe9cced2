package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * OpenAI Images, {@code POST /v1/images/generations}, as the API reference describes it
 * (platform.openai.com/docs/api-reference/images/create, read 2026-12): {@code model} (default
 * {@code dall-e-2}), {@code prompt}, {@code n} (1–10; dall-e-3 only 1), {@code size}. DALL·E models
 * take {@code response_format} ({@code url}, the default, or {@code b64_json}); the GPT image models
 * ({@code gpt-image-*}, {@code chatgpt-image-*}) always answer base64 and refuse {@code response_format} as an unknown
 * parameter, take {@code output_format} (png, jpeg) instead, and report token {@code usage}. The
 * answer {@code {"created","data":[{"b64_json"}|{"url","revised_prompt"}]}} comes after the task's
 * latency; every answer carries an {@code x-request-id}. Errors are
 * {@code {"error":{"message","type","param","code"}}}. No idempotency key: each call that gets past
 * the faults is a new (billed) task, counted by prompt.
 */
public final class OpenAiEmulator extends VendorEmulator {
    private static final Set<String> DALL_E = Set.of("dall-e-2", "dall-e-3");

    public OpenAiEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext("/v1/images/generations", this::generate);
    }

    private static boolean gptImage(String model) {
        return model.startsWith("gpt-image-") || model.startsWith("chatgpt-image-");
    }

    private void generate(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("x-request-id", "req_" + UUID.randomUUID().toString().replace("-", ""));
            String key = bearer(exchange);
            if (!accepted(key)) {
                error(exchange, 401, "invalid_api_key", "Incorrect API key provided.");
                return;
            }
            JsonNode body = readJson(exchange);
            if (body == null || !body.path("prompt").isTextual()) {
                refuse(exchange, "missing_required_parameter", "prompt", "Missing required parameter: 'prompt'.");
                return;
            }
            String model = body.path("model").asText("dall-e-2");
            if (!DALL_E.contains(model) && !gptImage(model)) {
                refuse(exchange, "invalid_value", "model", "Invalid value: '" + model + "'. Supported values are: 'dall-e-2', 'dall-e-3'"
                    + " and the gpt-image models.");
                return;
            }
            int n = body.path("n").asInt(1);
            if (!body.path("n").isMissingNode() && (!body.path("n").isIntegralNumber() || n < 1 || n > 10)) {
                refuse(exchange, n > 10 ? "integer_above_max_value" : "invalid_value", "n",
                    "Invalid 'n': expected an integer from 1 to 10, but got " + body.path("n") + " instead.");
                return;
            }
            if (model.equals("dall-e-3") && n != 1) {
                refuse(exchange, "invalid_value", "n", "You must provide n=1 for this model.");
                return;
            }
            if (gptImage(model) && body.has("response_format")) {
                refuse(exchange, "unknown_parameter", "response_format", "Unknown parameter: 'response_format'.");
                return;
            }
            String format = body.path("response_format").asText("url");
            if (!gptImage(model) && !format.equals("url") && !format.equals("b64_json")) {
                refuse(exchange, "invalid_value", "response_format", "Invalid value: '" + format + "'. Supported values are: 'url' and 'b64_json'.");
                return;
            }
            String outputFormat = body.path("output_format").asText("png");
            if (body.has("output_format") && (!gptImage(model) || !outputFormat.equals("png") && !outputFormat.equals("jpeg"))) {
                refuse(exchange, gptImage(model) ? "invalid_value" : "unknown_parameter", "output_format",
                    gptImage(model) ? "the emulator makes png and jpeg only" : "Unknown parameter: 'output_format'.");
                return;
            }
            String prompt = body.get("prompt").asText();
            Behaviour behaviour = behaviourOf(prompt);
            if (refusedBeforeStart(exchange, behaviour, prompt)) {
                return;
            }
            if (gptImage(model) && behaviour.contentType() == null) {
                behaviour = new Behaviour(behaviour.defaultLatencyMs(), behaviour.directives(), "image/" + outputFormat);
            }
            Task task = start("img_" + UUID.randomUUID(), model, n, behaviour, key, prompt, null);
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
            for (int i = 0; i < task.outputs(); i++) {
                ObjectNode image = data.addObject();
                if (gptImage(model) || format.equals("b64_json")) {
                    image.put("b64_json", Base64.getEncoder().encodeToString(outputBytes(task, i)));
                } else {
                    image.put("url", fileUrl(task, i));
                }
                if (model.equals("dall-e-3")) {
                    image.put("revised_prompt", prompt);
                }
            }
            if (gptImage(model)) {
                int textTokens = Math.max(1, prompt.length() / 4);
                int imageTokens = 272 * task.outputs();
                ObjectNode usage = answer.putObject("usage").put("total_tokens", textTokens + imageTokens)
                    .put("input_tokens", textTokens).put("output_tokens", imageTokens);
                usage.putObject("input_tokens_details").put("text_tokens", textTokens).put("image_tokens", 0);
                answer.put("output_format", outputFormat);
            }
            sendJson(exchange, 200, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A 400 for a parameter the API refuses, naming it as the API does. */
    private static void refuse(HttpExchange exchange, String code, String param, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", param).put("code", code);
        sendJson(exchange, 400, body);
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
