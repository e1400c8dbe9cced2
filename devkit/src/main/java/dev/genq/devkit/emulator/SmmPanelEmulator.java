package dev.genq.devkit.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMM panel's API v2 at {@code POST /api/v2}, form-encoded with {@code key} and {@code action}:
 * {@code add} (service, link, quantity) → {@code {"order": 23501}}; {@code status} (order) →
 * {@code {"charge","start_count","status","remains","currency"}} with status Pending, In progress,
 * Completed, Partial or Canceled; {@code cancel} (orders) → {@code [{"order","cancel":1|{"error"}}]}, after
 * which the order ends Partial (remains: what was not delivered by then) or Canceled (nothing was);
 * {@code balance} → {@code {"balance","currency"}}. Refusals come as HTTP 200 with
 * {@code {"error": "..."}}. Orders are counted by link.
 */
public final class SmmPanelEmulator extends VendorEmulator {
    private final AtomicLong nextOrder = new AtomicLong(23_500);

    public SmmPanelEmulator(int port, long defaultLatencyMs) throws IOException {
        super(port, defaultLatencyMs);
        server.createContext("/api/v2", this::handle);
    }

    public String apiUrl() {
        return baseUrl() + "/api/v2";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!accepted(form.get("key"))) {
                refuse(exchange, "Invalid API key");
                return;
            }
            switch (form.getOrDefault("action", "")) {
                case "add" -> add(exchange, form);
                case "status" -> {
                    Task task = tasks.get(form.getOrDefault("order", ""));
                    if (task == null) {
                        refuse(exchange, "Incorrect order ID");
                    } else if (!garbledStatus(exchange, task)) {
                        sendJson(exchange, 200, status(task));
                    }
                }
                case "cancel" -> {
                    ArrayNode answer = JSON.createArrayNode();
                    for (String id : form.getOrDefault("orders", "").split(",")) {
                        Task task = tasks.get(id.trim());
                        ObjectNode entry = answer.addObject().put("order", Long.parseLong(id.trim()));
                        if (task == null) {
                            entry.putObject("cancel").put("error", "Incorrect order ID");
                        } else if (cancel(task)) {
                            entry.put("cancel", 1);
                        } else {
                            entry.putObject("cancel").put("error", "Cancel is not available for this order");
                        }
                    }
                    sendJson(exchange, 200, answer);
                }
                case "balance" -> sendJson(exchange, 200, JSON.createObjectNode().put("balance", "100.84292").put("currency", "USD"));
                default -> refuse(exchange, "Incorrect request");
            }
        }
    }

    private void add(HttpExchange exchange, Map<String, String> form) throws IOException {
        String link = form.getOrDefault("link", "");
        Behaviour behaviour = behaviourOf(link);
        if (refusedBeforeStart(exchange, behaviour, link)) {
            return;
        }
        if (behaviour.has("nofunds")) {
            refuse(exchange, "Not enough funds on balance");
            return;
        }
        int quantity = Integer.parseInt(form.getOrDefault("quantity", "0"));
        Task task = start(Long.toString(nextOrder.incrementAndGet()), form.get("service"), quantity, behaviour, form.get("key"), link, null);
        if (!spoiledAnswer(exchange, behaviour, link)) {
            sendJson(exchange, 200, JSON.createObjectNode().put("order", Long.parseLong(task.id)));
        }
    }

    private ObjectNode status(Task task) {
        ObjectNode node = JSON.createObjectNode().put("charge", "0.27819").put("start_count", "3572").put("currency", "USD");
        if (task.cancelled) { // what was delivered before the cancel stays delivered, and only the rest is refunded
            int remains = remainsAtCancel(task);
            return node.put("status", remains < task.units ? "Partial" : "Canceled").put("remains", Integer.toString(remains));
        }
        if (task.finished() && task.behaviour.fail()) {
            return node.put("status", "Canceled").put("remains", Integer.toString(task.units));
        }
        if (!task.finished()) {
            int delivered = task.units * task.progressPercent() / 100;
            return node.put("status", task.progressPercent() < 20 ? "Pending" : "In progress").put("remains", Integer.toString(task.units - delivered));
        }
        int remains = Math.min(task.units, task.behaviour.count("remains"));
        return node.put("status", remains > 0 ? "Partial" : "Completed").put("remains", Integer.toString(remains));
    }

    private static int remainsAtCancel(Task task) {
        return task.units - task.units * task.progressAtCancel / 100;
    }

    /** What the order made for {@code link} had left undelivered when it was cancelled. */
    public int remainsAtCancel(String link) {
        Task task = existing(link);
        if (task == null || !task.cancelled) {
            throw new IllegalArgumentException("no cancelled order for " + link);
        }
        return remainsAtCancel(task);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void refuse(HttpExchange exchange, String message) throws IOException {
        sendJson(exchange, 200, JSON.createObjectNode().put("error", message));
    }

    @Override
    protected void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        if (status == 400) {
            refuse(exchange, "Incorrect link"); // panels refuse with 200 and an error text
        } else {
            sendText(exchange, status, "text/html", "<html><body><h1>" + status + "</h1>" + message + "</body></html>");
        }
    }
}
