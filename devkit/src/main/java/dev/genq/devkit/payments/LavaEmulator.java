package dev.genq.devkit.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.UUID;

/**
 * Lava business API: {@code POST /business/invoice/create} whose body must carry genq's HMAC-SHA256
 * under the secret key in the Signature header; webhooks are signed the same way under the
 * additional key, in the Authorization header.
 */
public final class LavaEmulator extends GatewayEmulator {
    private final String shopId;
    private final String secretKey;
    private final String additionalKey;

    public LavaEmulator(String shopId, String secretKey, String additionalKey) throws IOException {
        super(0, "/business/");
        this.shopId = shopId;
        this.secretKey = secretKey;
        this.additionalKey = additionalKey;
    }

    @Override
    protected void handle(HttpExchange exchange, String body) throws IOException {
        String signature = exchange.getRequestHeaders().getFirst("Signature");
        if (signature == null || !MessageDigest.isEqual(hmacHex("HmacSHA256", secretKey, body).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII))) {
            json(exchange, 401, Map.of("error", "Неверная подпись", "status", 401, "status_check", false));
            return;
        }
        JsonNode request = JSON.readTree(body);
        if (!shopId.equals(request.path("shopId").asText())) {
            json(exchange, 422, Map.of("error", Map.of("shopId", "Проект не найден"), "status", 422, "status_check", false));
            return;
        }
        String id = UUID.randomUUID().toString();
        invoices.put(id, new Invoice(id, request.path("orderId").asText(), request.path("sum").asText(), "RUB"));
        ObjectNode data = JSON.createObjectNode().put("id", id).put("amount", request.path("sum").asDouble()).put("status", 1)
            .put("shop_id", shopId).put("url", "https://pay.lava.ru/invoice/" + id).put("comment", request.path("comment").asText());
        json(exchange, 200, Map.of("data", data, "status", 200, "status_check", true));
    }

    /** The webhook for invoice {@code invoiceId} (created or not) of order {@code orderId}. */
    public Notification webhook(String invoiceId, String orderId, String status, String amount) {
        String body = JSON.createObjectNode().put("invoice_id", invoiceId).put("order_id", orderId).put("status", status)
            .put("pay_time", "2026-12-07 12:00:00").put("amount", amount).putNull("custom_fields").put("credited", amount).toString();
        return jsonNotification(body, Map.of("Authorization", hmacHex("HmacSHA256", additionalKey, body)));
    }

    public Notification paid(String invoiceId, String amount) {
        return webhook(invoiceId, invoice(invoiceId).orderRef(), "success", amount);
    }
}
