package dev.genq.api.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.infra.Crypto;
import dev.genq.infra.JsonTrees;
import dev.genq.ledger.Coins;
import dev.genq.payment.PaymentNotice;
import dev.genq.payment.Payments;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Free-Kassa, API v1. A top-up is {@code POST /v1/orders/create} (shopId, an ever-growing nonce,
 * paymentId = the top-up id, the method i, the payer's e-mail and IP, amount, currency), signed by
 * HMAC-SHA256 under the API key over the field values sorted by name and joined with "|"; the answer's
 * {@code location} is the payment page. Notifications (form fields) are trusted by
 * SIGN = md5(MERCHANT_ID:AMOUNT:secret word 2:MERCHANT_ORDER_ID) and answered {@code YES}; they come
 * only for paid orders, in the order's currency.
 */
@ErrorResponses
@Controller("/webhooks/freekassa")
@ExecuteOn(TaskExecutors.BLOCKING)
class FreeKassa extends Gateway {
    static final String NAME = "freekassa";
    private final PaymentsConfig.FreeKassa config;
    private final Payments payments;
    /** Free-Kassa wants each request's nonce above the last: milliseconds, bumped when two fall in one. */
    private final AtomicLong nonce = new AtomicLong();

    FreeKassa(PaymentsConfig.FreeKassa config, Payments payments) {
        super(new Profile(NAME, "RUB", Set.of("RUB", "USD", "EUR", "UAH", "KZT")));
        this.config = config;
        this.payments = payments;
    }

    @Override
    public boolean configured() {
        return Gateway.set(config.getShopId()) && config.getShopId().strip().matches("[0-9]{1,10}") && Gateway.set(config.getApiKey())
            && Gateway.set(config.getSecret2());
    }

    @Override
    public Created create(Order order) {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("shopId", Long.parseLong(config.getShopId().strip()));
        fields.put("nonce", nonce.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis())));
        fields.put("paymentId", order.id().toString());
        fields.put("i", config.getPaymentMethod());
        fields.put("email", order.email() != null ? order.email() : "account-" + order.number() + "@" + config.getPlaceholderEmailDomain());
        fields.put("ip", order.clientIp() != null ? order.clientIp() : "127.0.0.1");
        fields.put("amount", Amounts.cents(order.amount()));
        fields.put("currency", order.currency());
        String signed = fields.values().stream().map(String::valueOf).collect(Collectors.joining("|"));
        ObjectNode body = JsonTrees.MAPPER.valueToTree(fields);
        body.put("signature", HexFormat.of().formatHex(Crypto.hmac("HmacSHA256", config.getApiKey(), signed)));
        JsonNode answer = GatewayCalls.send(NAME, GatewayCalls.request(config.getBaseUrl(), "/v1/orders/create")
            .header("Content-Type", "application/json").POST(GatewayCalls.json(body.toString())).build());
        if (!answer.path("type").asText().equals("success") || answer.path("location").asText("").isBlank()) {
            throw GatewayCalls.refused(NAME, "refused the order: " + answer.path("message").asText("no reason given"));
        }
        return new Created(answer.path("orderId").asText(), answer.path("location").asText());
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    String notification(@Body Map<String, String> form) {
        if (!configured()) {
            throw GenqException.notFound("Free-Kassa is not configured");
        }
        String amount = form.getOrDefault("AMOUNT", "");
        String order = form.getOrDefault("MERCHANT_ORDER_ID", "");
        String expected = Crypto.digestHex("MD5", form.getOrDefault("MERCHANT_ID", "") + ":" + amount + ":" + config.getSecret2() + ":" + order);
        String presented = form.getOrDefault("SIGN", "").toLowerCase(java.util.Locale.ROOT);
        if (!config.getShopId().strip().equals(form.get("MERCHANT_ID"))
            || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII))) {
            throw new GenqException(ErrorCode.UNAUTHORIZED, "bad or missing SIGN");
        }
        payments.handle(new PaymentNotice(NAME, null, order, "paid", 1, PaymentNotice.Outcome.PAID, Coins.money(amount, "AMOUNT"), null));
        return "YES";
    }
}
