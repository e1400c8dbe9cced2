package dev.genq.api.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.infra.JsonTrees;
import dev.genq.ledger.Coins;
import dev.genq.payment.PaymentNotice;
import dev.genq.payment.PaymentOutcome;
import dev.genq.payment.Payments;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * YooKassa, API v3. A top-up is {@code POST /v3/payments} (basic auth with shop id and secret key,
 * {@code Idempotence-Key} = the top-up id, a redirect confirmation, capture at once, the account and
 * top-up in metadata). A notification is only a hint: genq re-fetches the payment (or the refund)
 * from the API and believes that answer alone. {@code succeeded} pays {@code amount}; a succeeded
 * refund of a paid top-up takes the chargeback path.
 */
@ErrorResponses
@Controller("/webhooks/yookassa")
@ExecuteOn(TaskExecutors.BLOCKING)
class YooKassa extends Gateway {
    static final String NAME = "yookassa";
    private static final Map<String, Integer> RANK = Map.of("pending", 0, "waiting_for_capture", 1, "succeeded", 2, "canceled", 2);
    private static final int REFUNDED_RANK = 3;
    private final PaymentsConfig.YooKassa config;
    private final Payments payments;

    YooKassa(PaymentsConfig.YooKassa config, Payments payments) {
        super(new Profile(NAME, "RUB", Set.of("RUB")));
        this.config = config;
        this.payments = payments;
    }

    @Override
    public boolean configured() {
        return Gateway.set(config.getShopId()) && Gateway.set(config.getSecretKey());
    }

    @Override
    public Created create(Order order) {
        ObjectNode body = JsonTrees.MAPPER.createObjectNode();
        body.putObject("amount").put("value", Amounts.cents(order.amount())).put("currency", order.currency());
        body.put("capture", true).put("description", order.description());
        body.putObject("confirmation").put("type", "redirect").put("return_url", order.returnUrl());
        body.putObject("metadata").put("topup_id", order.id().toString());
        JsonNode answer = GatewayCalls.send(NAME, authorized("/v3/payments")
            .header("Idempotence-Key", order.id().toString()).header("Content-Type", "application/json")
            .POST(GatewayCalls.json(body.toString())).build());
        String id = answer.path("id").asText("");
        String url = answer.path("confirmation").path("confirmation_url").asText("");
        if (id.isBlank() || url.isBlank()) {
            throw GatewayCalls.refused(NAME, "answered no payment id or confirmation_url");
        }
        return new Created(id, url);
    }

    @Post
    PaymentOutcome notification(@Body String body) throws IOException {
        if (!configured()) {
            throw GenqException.notFound("YooKassa is not configured");
        }
        JsonNode notification = JsonTrees.MAPPER.readTree(body);
        String event = notification.path("event").asText();
        String objectId = notification.path("object").path("id").asText("");
        if (objectId.isBlank() || objectId.length() > 64) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "the notification names no object id");
        }
        if (event.equals("refund.succeeded")) {
            JsonNode refund = fetch("/v3/refunds/" + objectId);
            if (!refund.path("status").asText().equals("succeeded")) {
                return new PaymentOutcome(false, 0, refund.path("status").asText(), true);
            }
            return payments.handle(new PaymentNotice(NAME, refund.path("payment_id").asText(), null, "refunded", REFUNDED_RANK,
                PaymentNotice.Outcome.REVERSED, null, null));
        }
        if (!event.startsWith("payment.")) {
            return new PaymentOutcome(false, 0, event, true); // payouts and deals are not top-ups
        }
        JsonNode payment = fetch("/v3/payments/" + objectId);
        String status = payment.path("status").asText();
        Integer rank = RANK.get(status);
        if (rank == null) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "YooKassa reports unknown status '" + status + "'");
        }
        boolean paid = status.equals("succeeded");
        return payments.handle(new PaymentNotice(NAME, objectId, payment.path("metadata").path("topup_id").asText(null), status, rank,
            paid ? PaymentNotice.Outcome.PAID : status.equals("canceled") ? PaymentNotice.Outcome.FAILED : PaymentNotice.Outcome.PENDING,
            paid ? Coins.money(payment.path("amount").path("value").asText("0"), "amount.value") : null,
            paid ? payment.path("amount").path("currency").asText(null) : null));
    }

    /** YooKassa's own word; its being unreachable answers 503 so that YooKassa retries the notification. */
    private JsonNode fetch(String path) {
        try {
            return GatewayCalls.send(NAME, authorized(path).GET().build());
        } catch (GenqException e) {
            if (e.code() == ErrorCode.GATEWAY_REFUSED) {
                throw new GenqException(ErrorCode.INVALID_REQUEST, "YooKassa knows no " + path.substring(4));
            }
            throw new GenqException(ErrorCode.UNAVAILABLE, "YooKassa is unreachable; retry later");
        }
    }

    private HttpRequest.Builder authorized(String path) {
        String credentials = config.getShopId() + ":" + config.getSecretKey();
        return GatewayCalls.request(config.getBaseUrl(), path)
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
}
