package dev.genq.api.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.infra.Crypto;
import dev.genq.infra.JsonTrees;
import dev.genq.ledger.Coins;
import dev.genq.payment.PaymentEvent;
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
import java.util.Map;
import java.util.UUID;

/**
 * NOWPayments IPN. The order id of the payment is the genq account id. Crediting rule: a
 * {@code finished} payment is worth price_amount × rate coins; a {@code partially_paid} one is worth
 * that share of it which was paid (actually_paid / pay_amount, at most all), rounded down; every
 * other status is worth nothing yet. Each event credits only what its status adds, so a partial
 * payment later finished gets the rest, and nothing is ever credited twice.
 */
@ErrorResponses
@Controller("/webhooks/nowpayments")
@ExecuteOn(TaskExecutors.BLOCKING)
class NowPaymentsWebhook {
    static final String PROVIDER = "nowpayments";
    private static final ObjectMapper JSON = JsonTrees.MAPPER;
    private static final Map<String, Integer> RANK = Map.of("waiting", 0, "confirming", 1, "confirmed", 2, "sending", 3,
        "partially_paid", 4, "finished", 5, "failed", 5, "refunded", 5, "expired", 5);

    private final PaymentsConfig.NowPayments config;
    private final Payments payments;

    NowPaymentsWebhook(PaymentsConfig.NowPayments config, Payments payments) {
        this.config = config;
        this.payments = payments;
    }

    @Post
    PaymentOutcome ipn(@Nullable @Header("x-nowpayments-sig") String signature, @Body String body) throws IOException {
        if (config.getIpnSecret() == null || config.getIpnSecret().isBlank()) {
            throw new GenqException(ErrorCode.NOT_FOUND, "NOWPayments is not configured");
        }
        if (signature == null || !validSignature(body, signature)) {
            throw new GenqException(ErrorCode.UNAUTHORIZED, "bad or missing x-nowpayments-sig");
        }
        JsonNode ipn = JSON.readTree(body);
        String status = ipn.path("payment_status").asText();
        Integer rank = RANK.get(status);
        if (rank == null) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "unknown payment_status '" + status + "'");
        }
        return payments.apply(new PaymentEvent(PROVIDER, ipn.path("payment_id").asText(), accountOf(ipn), status, rank, worth(ipn, status)));
    }

    private long worth(JsonNode ipn, String status) {
        BigDecimal price = Coins.money(ipn.path("price_amount").asText("0"), "price_amount");
        BigDecimal share = switch (status) {
            case "finished" -> BigDecimal.ONE;
            case "partially_paid" -> {
                BigDecimal due = Coins.money(ipn.path("pay_amount").asText("0"), "pay_amount");
                BigDecimal paid = Coins.money(ipn.path("actually_paid").asText("0"), "actually_paid");
                yield due.signum() <= 0 ? BigDecimal.ZERO : paid.divide(due, MathContext.DECIMAL64).min(BigDecimal.ONE);
            }
            default -> BigDecimal.ZERO;
        };
        return Coins.of(price.multiply(share), config.getCoinsPerUnit(), "price_amount");
    }

    private static UUID accountOf(JsonNode ipn) {
        try {
            return UUID.fromString(ipn.path("order_id").asText());
        } catch (IllegalArgumentException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "order_id must be the genq account id");
        }
    }

    private boolean validSignature(String body, String signature) {
        try {
            return Crypto.matchesHex(Crypto.hmac("HmacSHA512", config.getIpnSecret(), JsSortedJson.of(body)), signature);
        } catch (IOException | RuntimeException e) {
            return false; // not JSON, or JSON that cannot be written back as NOWPayments signs: not signed by NOWPayments
        }
    }
}
