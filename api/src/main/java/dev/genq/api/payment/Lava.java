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
import java.util.Set;

/**
 * Lava, business API. A top-up is {@code POST /business/invoice/create} with the JSON body signed
 * by HMAC-SHA256 under the secret key (hex, in the {@code Signature} header); orderId is the top-up
 * id. Webhooks carry the same HMAC of their body under the additional key in {@code Authorization}.
 * {@code success} pays {@code amount} (roubles); {@code expired} and {@code error} end it unpaid.
 */
@ErrorResponses
@Controller("/webhooks/lava")
@ExecuteOn(TaskExecutors.BLOCKING)
class Lava extends Gateway {
    static final String NAME = "lava";
    private final PaymentsConfig.Lava config;
    private final PaymentsConfig.Common common;
    private final Payments payments;

    Lava(PaymentsConfig.Lava config, PaymentsConfig.Common common, Payments payments) {
        super(new Profile(NAME, "RUB", Set.of("RUB")));
        this.config = config;
        this.common = common;
        this.payments = payments;
    }

    @Override
    public boolean configured() {
        return Gateway.set(config.getShopId()) && Gateway.set(config.getSecretKey()) && Gateway.set(config.getAdditionalKey());
    }

    @Override
    public Created create(Order order) {
        ObjectNode body = JsonTrees.MAPPER.createObjectNode()
            .put("sum", order.amount()).put("orderId", order.id().toString()).put("shopId", config.getShopId())
            .put("successUrl", order.returnUrl()).put("failUrl", order.returnUrl())
            .put("expire", config.getExpireMinutes()).put("comment", order.description());
        if (Gateway.set(common.getNotifyBaseUrl())) {
            body.put("hookUrl", common.getNotifyBaseUrl() + "/webhooks/lava");
        }
        String json = body.toString();
        JsonNode answer = GatewayCalls.send(NAME, GatewayCalls.request(config.getBaseUrl(), "/business/invoice/create")
            .header("Signature", java.util.HexFormat.of().formatHex(Crypto.hmac("HmacSHA256", config.getSecretKey(), json)))
            .header("Content-Type", "application/json").header("Accept", "application/json")
            .POST(GatewayCalls.json(json)).build());
        JsonNode data = answer.path("data");
        if (data.path("id").asText("").isBlank() || data.path("url").asText("").isBlank()) {
            throw GatewayCalls.refused(NAME, "answered no invoice: " + answer.path("error").asText("no error given"));
        }
        return new Created(data.path("id").asText(), data.path("url").asText());
    }

    @Post
    PaymentOutcome webhook(@Nullable @Header("Authorization") String signature, @Body String body) throws IOException {
        if (!configured()) {
            throw GenqException.notFound("Lava is not configured");
        }
        if (signature == null || !Crypto.matchesHex(Crypto.hmac("HmacSHA256", config.getAdditionalKey(), body), signature)) {
            throw new GenqException(ErrorCode.UNAUTHORIZED, "bad or missing Authorization signature");
        }
        JsonNode hook = JsonTrees.MAPPER.readTree(body);
        String status = hook.path("status").asText();
        PaymentNotice.Outcome outcome = switch (status) {
            case "success" -> PaymentNotice.Outcome.PAID;
            case "expired", "error", "cancel" -> PaymentNotice.Outcome.FAILED;
            default -> throw new GenqException(ErrorCode.INVALID_REQUEST, "unknown status '" + status + "'");
        };
        BigDecimal paid = outcome == PaymentNotice.Outcome.PAID ? Coins.money(hook.path("amount").asText("0"), "amount") : null;
        return payments.handle(new PaymentNotice(NAME, hook.path("invoice_id").asText(null), hook.path("order_id").asText(null),
            status, 1, outcome, paid, paid == null ? null : "RUB"));
    }
}
