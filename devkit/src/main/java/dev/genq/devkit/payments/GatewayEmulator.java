package dev.genq.devkit.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.genq.devkit.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What every gateway emulator shares: an HTTP server on loopback, the invoices genq created (by the
 * gateway's id), a switch that makes the API answer 503, and a sender of notifications to genq.
 */
public abstract class GatewayEmulator implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();
    protected final Map<String, Invoice> invoices = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean down;
    private volatile URI notifyTo;

    /** An invoice as genq created it: the gateway's id, genq's order reference, the amount and currency asked. */
    public record Invoice(String id, String orderRef, String amount, String currency) {
    }

    /** A notification as the gateway sends it. */
    public record Notification(String contentType, String body, Map<String, String> headers) {
        /** The same signature over a changed body, as an attacker would send it. */
        public Notification tampered(String from, String to) {
            if (!body.contains(from)) {
                throw new IllegalArgumentException("the body has no '" + from + "': " + body);
            }
            return new Notification(contentType, body.replace(from, to), headers);
        }
    }

    protected GatewayEmulator(int port, String path) throws IOException {
        server = Exchanges.loopbackServer(port, 64);
        server.createContext(path, exchange -> {
            try (exchange) {
                if (down) {
                    Exchanges.sendJson(exchange, 503, "{\"error\":\"service unavailable\"}".getBytes(StandardCharsets.UTF_8));
                } else {
                    handle(exchange, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        });
        server.start();
    }

    /** Answers one API request (the server is up). */
    protected abstract void handle(HttpExchange exchange, String body) throws IOException;

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where notifications go: genq's endpoint for this gateway. */
    public void notifyTo(URI endpoint) {
        this.notifyTo = endpoint;
    }

    /** While down, the API answers 503. */
    public void down(boolean down) {
        this.down = down;
    }

    public int invoicesCreated() {
        return invoices.size();
    }

    public Invoice invoice(String id) {
        Invoice invoice = invoices.get(id);
        if (invoice == null) {
            throw new IllegalArgumentException("no invoice " + id + "; there are " + invoices.keySet());
        }
        return invoice;
    }

    public HttpResponse<String> send(Notification n) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(notifyTo).header("Content-Type", n.contentType());
        n.headers().forEach(request::header);
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(n.body())).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static void json(HttpExchange exchange, int status, Object body) throws IOException {
        Exchanges.sendJson(exchange, status, JSON.writeValueAsBytes(body));
    }

    protected static Notification jsonNotification(String body, Map<String, String> headers) {
        return new Notification("application/json", body, headers);
    }

    protected static Notification formNotification(Map<String, String> fields) {
        return new Notification("application/x-www-form-urlencoded", fields.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&")), Map.of());
    }

    protected static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    protected static String hmacHex(String algorithm, String secret, String text) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String digestHex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
