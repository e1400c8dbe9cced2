package dev.genq.devkit.payments;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends NOWPayments IPNs. NOWPayments signs {@code JSON.stringify} of the key-sorted body with
 * HMAC-SHA512; this writes bodies that are already in that form (sorted keys, JavaScript number
 * literals, no spaces), so their signature is simply the HMAC of the bytes sent.
 */
public final class NowPaymentsEmulator {
    private final String ipnSecret;
    private final HttpClient http = HttpClient.newHttpClient();

    public NowPaymentsEmulator(String ipnSecret) {
        this.ipnSecret = ipnSecret;
    }

    /** An IPN as sent: its body and the x-nowpayments-sig header. */
    public record Ipn(String body, String signature) {
        /** The same signature over a changed body, as an attacker would send it. */
        public Ipn tampered(String from, String to) {
            return new Ipn(body.replace(from, to), signature);
        }
    }

    /**
     * An IPN for {@code paymentId}. Amounts are JavaScript number literals ("10.5", "0.00031"), the
     * order id is the genq account, the price currency USD.
     */
    public Ipn ipn(long paymentId, UUID account, String status, String priceAmount, String payAmount, String actuallyPaid) {
        Map<String, String> fields = new TreeMap<>();
        fields.put("actually_paid", actuallyPaid);
        fields.put("order_id", quote(account.toString()));
        fields.put("pay_amount", payAmount);
        fields.put("pay_currency", quote("btc"));
        fields.put("payment_id", Long.toString(paymentId));
        fields.put("payment_status", quote(status));
        fields.put("price_amount", priceAmount);
        fields.put("price_currency", quote("usd"));
        String body = fields.entrySet().stream().map(e -> quote(e.getKey()) + ":" + e.getValue())
            .collect(Collectors.joining(",", "{", "}"));
        return new Ipn(body, sign(body));
    }

    public HttpResponse<String> send(URI webhook, Ipn ipn) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
            .header("x-nowpayments-sig", ipn.signature())
            .POST(HttpRequest.BodyPublishers.ofString(ipn.body())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(ipnSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
