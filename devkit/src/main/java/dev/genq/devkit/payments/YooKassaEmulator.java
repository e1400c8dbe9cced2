package dev.genq.devkit.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.genq.devkit.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * YooKassa's payment API ({@code GET /v3/payments/{id}} with basic auth) over real HTTP, and a
 * sender of its notifications. Notifications it sends may lie (as a forged one would); only the
 * API's answer is the truth, which is the point genq's webhook must honour.
 */
public final class YooKassaEmulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final String shopId;
    private final String secretKey;
    private final Map<String, ObjectNode> payments = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean down;

    public YooKassaEmulator(String shopId, String secretKey) throws IOException {
        this.shopId = shopId;
        this.secretKey = secretKey;
        server = Exchanges.loopbackServer(0, 64);
        server.createContext("/v3/payments/", this::payment);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Sets what the API says about a payment. */
    public void put(String paymentId, String status, String amountValue, UUID account) {
        ObjectNode p = JSON.createObjectNode().put("id", paymentId).put("status", status).put("paid", status.equals("succeeded"));
        p.putObject("amount").put("value", amountValue).put("currency", "RUB");
        p.putObject("metadata").put("account_id", account.toString());
        payments.put(paymentId, p);
    }

    /** While down, the API answers 503. */
    public void down(boolean down) {
        this.down = down;
    }

    public int fetches() {
        return fetches.get();
    }

    /** Posts a notification to genq whose body claims {@code claimedStatus} and a large amount, whatever the API says. */
    public HttpResponse<String> notify(URI webhook, String paymentId, String claimedStatus) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("type", "notification").put("event", "payment." + claimedStatus);
        ObjectNode object = body.putObject("object").put("id", paymentId).put("status", claimedStatus);
        object.putObject("amount").put("value", "1000000.00").put("currency", "RUB");
        return http.send(HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void payment(HttpExchange exchange) throws IOException {
        try (exchange) {
            fetches.incrementAndGet();
            String expected = "Basic " + Base64.getEncoder().encodeToString((shopId + ":" + secretKey).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"type\":\"error\",\"code\":\"invalid_credentials\"}");
            } else if (down) {
                send(exchange, 503, "{\"type\":\"error\",\"code\":\"internal_server_error\"}");
            } else {
                ObjectNode p = payments.get(exchange.getRequestURI().getPath().substring("/v3/payments/".length()));
                send(exchange, p == null ? 404 : 200, p == null ? "{\"type\":\"error\",\"code\":\"not_found\"}" : JSON.writeValueAsString(p));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        Exchanges.sendJson(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
