package dev.genq.devkit.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Free-Kassa API v1: {@code POST /v1/orders/create}, signed HMAC-SHA256 under the API key over the
 * field values sorted by name and joined with "|", each nonce above the last; notifications are
 * form posts signed MD5(MERCHANT_ID:AMOUNT:secret word 2:MERCHANT_ORDER_ID), answered {@code YES}.
 */
public final class FreeKassaEmulator extends GatewayEmulator {
    private static final AtomicLong ORDERS = new AtomicLong(100_000);
    private final int shopId;
    private final String apiKey;
    private final String secret2;
    private long lastNonce;

    public FreeKassaEmulator(int shopId, String apiKey, String secret2) throws IOException {
        super(0, "/v1/");
        this.shopId = shopId;
        this.apiKey = apiKey;
        this.secret2 = secret2;
    }

    @Override
    protected void handle(HttpExchange exchange, String body) throws IOException {
        JsonNode request = JSON.readTree(body);
        Map<String, String> fields = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("signature")) {
                fields.put(e.getKey(), e.getValue().asText());
            }
        }
        String signed = String.join("|", fields.values());
        if (!hmacHex("HmacSHA256", apiKey, signed).equals(request.path("signature").asText())) {
            json(exchange, 401, Map.of("type", "error", "message", "Wrong signature"));
            return;
        }
        synchronized (this) {
            long nonce = request.path("nonce").asLong();
            if (nonce <= lastNonce) {
                json(exchange, 400, Map.of("type", "error", "message", "Wrong nonce"));
                return;
            }
            lastNonce = nonce;
        }
        if (request.path("shopId").asInt() != shopId || request.path("email").asText().isBlank() || request.path("ip").asText().isBlank()) {
            json(exchange, 400, Map.of("type", "error", "message", "shopId, email and ip are required"));
            return;
        }
        String id = Long.toString(ORDERS.incrementAndGet());
        invoices.put(id, new Invoice(id, request.path("paymentId").asText(), request.path("amount").asText(), request.path("currency").asText()));
        json(exchange, 200, Map.of("type", "success", "orderId", Long.parseLong(id), "orderHash", hmacHex("HmacSHA256", apiKey, id),
            "location", "https://pay.fk.money/form/" + id));
    }

    /** The notification for order {@code orderId} (genq's paymentId, created or not), paid {@code amount}. */
    public Notification notification(String intId, String orderId, String amount) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("MERCHANT_ID", Integer.toString(shopId));
        f.put("AMOUNT", amount);
        f.put("intid", intId);
        f.put("MERCHANT_ORDER_ID", orderId);
        f.put("P_EMAIL", "payer@example.com");
        f.put("CUR_ID", "36");
        f.put("SIGN", digestHex("MD5", shopId + ":" + amount + ":" + secret2 + ":" + orderId));
        return formNotification(f);
    }

    public Notification paid(String invoiceId, String amount) {
        return notification(invoiceId, invoice(invoiceId).orderRef(), amount);
    }
}
