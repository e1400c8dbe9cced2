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
import dev.genq.payment.PaymentOutcome;
import dev.genq.payment.Payments;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * NOWPayments, API v1. A top-up is an invoice ({@code POST /v1/invoice}, x-api-key) whose order_id
 * is the top-up id. IPNs are trusted by their HMAC-SHA512 over the key-sorted body in
 * {@code x-nowpayments-sig}. {@code finished} pays price_amount; {@code partially_paid} pays the
 * share actually paid (actually_paid / pay_amount, at most all) of it; {@code refunded} after a
 * payment is a reversal (the chargeback path).
 */
@ErrorResponses
@Controller("/webhooks/nowpayments")
@ExecuteOn(TaskExecutors.BLOCKING)
class NowPayments extends Gateway {
    static final String NAME = "nowpayments";
    private static final Map<String, Integer> RANK = Map.of("waiting", 0, "confirming", 1, "confirmed", 2, "sending", 3,
        "partially_paid", 4, "finished", 5, "failed", 5, "expired", 5, "refunded", 6);
    private final PaymentsConfig.NowPayments config;
    private final PaymentsConfig.Common common;
    private final Payments payments;

    NowPayments(PaymentsConfig.NowPayments config, PaymentsConfig.Common common, Payments payments) {
        super(new Profile(NAME, config.getCurrency().toUpperCase(Locale.ROOT), Set.of())); // any currency genq has a rate for
        this.config = config;
        this.common = common;
        this.payments = payments;
    }

    @Override
    public boolean configured() {
        return Gateway.set(config.getApiKey()) && Gateway.set(config.getIpnSecret());
    }

    @Override
    public Created create(Order order) {
        ObjectNode body = JsonTrees.MAPPER.createObjectNode()
            .put("price_amount", order.amount()).put("price_currency", order.currency().toLowerCase(Locale.ROOT))
            .put("order_id", order.id().toString()).put("order_description", order.description())
            .put("success_url", order.returnUrl()).put("cancel_url", order.returnUrl());
        if (Gateway.set(common.getNotifyBaseUrl())) {
            body.put("ipn_callback_url", common.getNotifyBaseUrl() + "/webhooks/nowpayments");
        }
        JsonNode answer = GatewayCalls.send(NAME, GatewayCalls.request(config.getBaseUrl(), "/v1/invoice")
            .header("x-api-key", config.getApiKey()).header("Content-Type", "application/json")
            .POST(GatewayCalls.json(body.toString())).build());
        String id = answer.path("id").asText("");
        String url = answer.path("invoice_url").asText("");
        if (id.isBlank() || url.isBlank()) {
            throw GatewayCalls.refused(NAME, "answered no invoice id or invoice_url");
        }
        return new Created(id, url);
    }

    @Post
    PaymentOutcome ipn(@Nullable @Header("x-nowpayments-sig") String signature, @Body String body) throws IOException {
        if (!Gateway.set(config.getIpnSecret())) {
            throw GenqException.notFound("NOWPayments is not configured");
        }
        if (signature == null || !validSignature(body, signature)) {
            throw new GenqException(ErrorCode.UNAUTHORIZED, "bad or missing x-nowpayments-sig");
        }
        JsonNode ipn = JsonTrees.MAPPER.readTree(body);
        String status = ipn.path("payment_status").asText();
        Integer rank = RANK.get(status);
        if (rank == null) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "unknown payment_status '" + status + "'");
        }
        PaymentNotice.Outcome outcome = switch (status) {
            case "finished" -> PaymentNotice.Outcome.PAID;
            case "partially_paid" -> PaymentNotice.Outcome.PARTIALLY_PAID;
            case "failed", "expired" -> PaymentNotice.Outcome.FAILED;
            case "refunded" -> PaymentNotice.Outcome.REVERSED;
            default -> PaymentNotice.Outcome.PENDING;
        };
        String invoice = ipn.path("invoice_id").asText("");
        return payments.handle(new PaymentNotice(NAME, invoice.isBlank() || invoice.equals("null") ? null : invoice,
            ipn.path("order_id").asText(null), status, rank, outcome, paid(ipn, outcome),
            ipn.path("price_currency").asText("").toUpperCase(Locale.ROOT)));
    }

    /** What was paid, in the price currency. */
    @Nullable
    private static BigDecimal paid(JsonNode ipn, PaymentNotice.Outcome outcome) {
        BigDecimal price = Coins.money(ipn.path("price_amount").asText("0"), "price_amount");
        return switch (outcome) {
            case PAID -> price;
            case PARTIALLY_PAID -> {
                BigDecimal due = Coins.money(ipn.path("pay_amount").asText("0"), "pay_amount");
                BigDecimal paid = Coins.money(ipn.path("actually_paid").asText("0"), "actually_paid");
                yield due.signum() <= 0 ? BigDecimal.ZERO : price.multiply(paid.divide(due, MathContext.DECIMAL64).min(BigDecimal.ONE));
            }
            default -> null;
        };
    }

    private boolean validSignature(String body, String signature) {
        try {
            return Crypto.matchesHex(Crypto.hmac("HmacSHA512", config.getIpnSecret(), JsSortedJson.of(body)), signature);
        } catch (IOException | RuntimeException e) {
            return false; // not JSON, or JSON that cannot be written back as NOWPayments signs: not signed by NOWPayments
        }
    }
}
