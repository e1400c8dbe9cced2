package dev.genq.devkit.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * NOWPayments API v1: {@code POST /v1/invoice} (x-api-key) answers an invoice and its page; IPNs are
 * signed as NOWPayments signs them, HMAC-SHA512 of {@code JSON.stringify} of the key-sorted body.
 * The bodies written here are already in that form (sorted keys, JavaScript number literals, no
 * spaces), so their signature is simply the HMAC of the bytes sent.
 */
public final class NowPaymentsEmulator extends GatewayEmulator {
    private static final AtomicLong IDS = new AtomicLong(5_000_000_000L + System.currentTimeMillis() % 1_000_000_000L);
    private final String apiKey;
    private final String ipnSecret;

    public NowPaymentsEmulator(String apiKey, String ipnSecret) throws IOException {
        this(0, apiKey, ipnSecret);
    }

    /** On a fixed port (0: any free one), as the all-in-one run starts it. */
    public NowPaymentsEmulator(int port, String apiKey, String ipnSecret) throws IOException {
        super(port, "/v1/");
        this.apiKey = apiKey;
        this.ipnSecret = ipnSecret;
    }

    @Override
    protected void handle(HttpExchange exchange, String body) throws IOException {
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
            json(exchange, 403, Map.of("status", false, "statusCode", 403, "code", "INVALID_API_KEY", "message", "Invalid api key"));
            return;
        }
        if (!exchange.getRequestURI().getPath().equals("/v1/invoice")) {
            json(exchange, 404, Map.of("message", "not found"));
            return;
        }
        JsonNode request = JSON.readTree(body);
        String id = Long.toString(IDS.incrementAndGet());
        invoices.put(id, new Invoice(id, request.path("order_id").asText(), request.path("price_amount").asText(),
            request.path("price_currency").asText()));
        json(exchange, 200, Map.of("id", id, "order_id", request.path("order_id").asText(), "price_amount", request.path("price_amount").asText(),
            "price_currency", request.path("price_currency").asText(), "invoice_url", "https://nowpayments.io/payment/?iid=" + id));
    }

    /** An IPN about invoice {@code invoiceId} (any id, created or not) for order {@code orderId}; amounts are JS number literals. */
    public Notification ipn(String invoiceId, String orderId, String status, String priceAmount, String priceCurrency, String payAmount,
                            String actuallyPaid) {
        Map<String, String> fields = new TreeMap<>();
        fields.put("actually_paid", actuallyPaid);
        fields.put("invoice_id", invoiceId);
        fields.put("order_id", quote(orderId));
        fields.put("pay_amount", payAmount);
        fields.put("pay_currency", quote("btc"));
        fields.put("payment_id", Long.toString(IDS.incrementAndGet()));
        fields.put("payment_status", quote(status));
        fields.put("price_amount", priceAmount);
        fields.put("price_currency", quote(priceCurrency));
        String body = fields.entrySet().stream().map(e -> quote(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
        return jsonNotification(body, Map.of("x-nowpayments-sig", hmacHex("HmacSHA512", ipnSecret, body)));
    }

    /** The IPN for an invoice genq created, in a status, paid {@code priceAmount} of {@code currency} in full. */
    public Notification ipn(String invoiceId, String status, String priceAmount, String currency) {
        return ipn(invoiceId, invoice(invoiceId).orderRef(), status, priceAmount, currency, "0.1", "0.1");
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
