package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A video vendor with its own task shape, for the catalog-configured generic adapter:
 * {@code POST /v1/videos/text2video} {@code {"model_name","prompt","duration"}} →
 * {@code {"code":0,"message":"SUCCEED","data":{"task_id","task_status":"submitted"}}};
 * {@code GET /v1/videos/text2video/{id}} → {@code {"code":0,"data":{"task_id","task_status":
 * submitted|processing|succeed|failed,"task_status_msg","task_result":{"videos":[{"url","duration"}]}}}}.
 * Errors are {@code {"code": 1xxx, "message"}}. No idempotency key: tasks are counted by prompt.
 */
public final class KlingStyleEmulator extends VendorEmulator {
    public static final String PATH = "/v1/videos/text2video";

    /** How a catalog route describes this vendor's shape to genq's generic adapter. */
    public static final Map<String, Object> ROUTE_OPTIONS = Map.ofEntries(
        Map.entry("submitPath", PATH), Map.entry("pollPath", PATH + "/{id}"),
        Map.entry("cancelPath", ""), Map.entry("inputsField", ""), Map.entry("modelField", "model_name"),
        Map.entry("unitsField", ""), Map.entry("webhookField", ""), Map.entry("idempotencyHeader", ""),
        Map.entry("idPath", "data.task_id"), Map.entry("statusPath", "data.task_status"), Map.entry("progressPath", ""),
        Map.entry("outputsPath", "data.task_result.videos[].url"), Map.entry("outputTypesPath", ""),
        Map.entry("errorCodePath", "code"), Map.entry("errorMessagePath", "data.task_status_msg|message"),
        Map.entry("succeeded", List.of("succeed")), Map.entry("failed", List.of("failed")));

    public KlingStyleEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext(PATH, this::handle);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = bearer(exchange);
            if (!accepted(key)) {
                error(exchange, 401, "1002", "Authorization is invalid");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST") && path.equals(PATH)) {
                submit(exchange, key);
                return;
            }
            Task task = tasks.get(path.substring(Math.min(path.length(), PATH.length() + 1)));
            if (task == null) {
                error(exchange, 404, "1203", "task not found");
            } else if (!garbledStatus(exchange, task)) {
                sendJson(exchange, 200, envelope(task));
            }
        }
    }

    private void submit(HttpExchange exchange, String account) throws IOException {
        JsonNode body = readJson(exchange);
        if (body == null || !body.path("prompt").isTextual()) {
            error(exchange, 400, "1201", "prompt is required");
            return;
        }
        String prompt = body.get("prompt").asText();
        Behaviour behaviour = behaviourOf(prompt);
        if (refusedBeforeStart(exchange, behaviour, prompt)) {
            return;
        }
        Task task = start(UUID.randomUUID().toString(), "kling-video", 1, behaviour, account, prompt, null);
        if (!spoiledAnswer(exchange, behaviour, prompt)) {
            sendJson(exchange, 200, envelope(task));
        }
    }

    private ObjectNode envelope(Task task) {
        ObjectNode answer = JSON.createObjectNode().put("code", 0).put("message", "SUCCEED").put("request_id", UUID.randomUUID().toString());
        ObjectNode data = answer.putObject("data").put("task_id", task.id).put("created_at", task.createdAtMs);
        if (!task.finished()) {
            data.put("task_status", task.progressPercent() < 10 ? "submitted" : "processing");
            return answer;
        }
        if (task.behaviour.fail()) {
            data.put("task_status", "failed").put("task_status_msg", "Failure to pass the risk control system");
            return answer;
        }
        data.put("task_status", "succeed");
        data.putObject("task_result").putArray("videos").addObject().put("id", task.id).put("url", fileUrl(task, 0)).put("duration", "5");
        return answer;
    }

    @Override
    protected void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        sendJson(exchange, status, JSON.createObjectNode().put("code", code.matches("\\d+") ? Integer.parseInt(code) : 1000)
            .put("message", message).put("request_id", UUID.randomUUID().toString()));
    }
}
