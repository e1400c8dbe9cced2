package dev.genq.devkit.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * YooKassa API v3: {@code POST /v3/payments} (basic auth, Idempotence-Key: the same key answers the
 * same payment), {@code GET /v3/payments/{id}} and {@code GET /v3/refunds/{id}}. Its notifications
 * carry only what YooKassa's would; genq must re-fetch, and only the API's state is the truth.
 */
public final class YooKassaEmulator extends GatewayEmulator {
    private final String authorization;
    private final Map<String, ObjectNode> payments = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> refunds = new ConcurrentHashMap<>();
    private final Map<String, String> byIdempotenceKey = new ConcurrentHashMap<>();

    public YooKassaEmulator(String shopId, String secretKey) throws IOException {
        super(0, "/v3/");
        authorization = "Basic " + Base64.getEncoder().encodeToString((shopId + ":" + secretKey).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void handle(HttpExchange exchange, String body) throws IOException {
        if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            json(exchange, 401, Map.of("type", "error", "code", "invalid_credentials"));
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST") && path.equals("/v3/payments")) {
            create(exchange, body);
        } else if (path.startsWith("/v3/payments/")) {
            ObjectNode p = payments.get(path.substring("/v3/payments/".length()));
            json(exchange, p == null ? 404 : 200, p == null ? Map.of("type", "error", "code", "not_found") : p);
        } else if (path.startsWith("/v3/refunds/")) {
            ObjectNode r = refunds.get(path.substring("/v3/refunds/".length()));
            json(exchange, r == null ? 404 : 200, r == null ? Map.of("type", "error", "code", "not_found") : r);
        } else {
            json(exchange, 404, Map.of("type", "error", "code", "not_found"));
        }
    }

    private void create(HttpExchange exchange, String body) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("Idempotence-Key");
        if (key == null) {
            json(exchange, 400, Map.of("type", "error", "code", "invalid_request", "description", "Idempotence-Key is required"));
            return;
        }
        String id = byIdempotenceKey.computeIfAbsent(key, k -> {
            JsonNode request = read(body);
            String paymentId = UUID.randomUUID().toString();
            ObjectNode p = JSON.createObjectNode().put("id", paymentId).put("status", "pending").put("paid", false);
            p.set("amount", request.path("amount").deepCopy());
            p.set("metadata", request.path("metadata").deepCopy());
            p.putObject("confirmation").put("type", "redirect")
                .put("confirmation_url", "https://yoomoney.ru/checkout/payments/v2/contract?orderId=" + paymentId);
            payments.put(paymentId, p);
            invoices.put(paymentId, new Invoice(paymentId, request.path("metadata").path("topup_id").asText(),
                request.path("amount").path("value").asText(), request.path("amount").path("currency").asText()));
            return paymentId;
        });
        json(exchange, 200, payments.get(id));
    }

    /** Sets what the API says about a payment (the amount and currency actually paid, when it succeeded). */
    public void set(String paymentId, String status, String amount, String currency) {
        ObjectNode p = payments.get(paymentId);
        p.put("status", status).put("paid", status.equals("succeeded"));
        p.putObject("amount").put("value", amount).put("currency", currency);
    }

    /** A payment genq never created, known to the API as succeeded. */
    public String foreignPayment(String amount) {
        String id = UUID.randomUUID().toString();
        ObjectNode p = JSON.createObjectNode().put("id", id).put("status", "succeeded").put("paid", true);
        p.putObject("amount").put("value", amount).put("currency", "RUB");
        payments.put(id, p);
        return id;
    }

    /** The notification YooKassa sends for a payment event; the body claims a large amount, which genq must not believe. */
    public Notification notification(String paymentId, String event) {
        ObjectNode body = JSON.createObjectNode().put("type", "notification").put("event", event);
        ObjectNode object = body.putObject("object").put("id", paymentId).put("status", event.substring(event.indexOf('.') + 1));
        object.putObject("amount").put("value", "1000000.00").put("currency", "RUB");
        return jsonNotification(body.toString(), Map.of());
    }

    /** Refunds a payment in full and returns the refund.succeeded notification. */
    public Notification refund(String paymentId) {
        String id = UUID.randomUUID().toString();
        ObjectNode r = JSON.createObjectNode().put("id", id).put("payment_id", paymentId).put("status", "succeeded");
        r.set("amount", payments.get(paymentId).path("amount").deepCopy());
        refunds.put(id, r);
        ObjectNode body = JSON.createObjectNode().put("type", "notification").put("event", "refund.succeeded");
        body.putObject("object").put("id", id).put("payment_id", paymentId).put("status", "succeeded");
        return jsonNotification(body.toString(), Map.of());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
