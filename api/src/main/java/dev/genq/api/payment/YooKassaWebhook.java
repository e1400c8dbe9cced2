package dev.genq.api.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.infra.JsonTrees;
import dev.genq.ledger.Coins;
import dev.genq.payment.PaymentEvent;
import dev.genq.payment.PaymentOutcome;
import dev.genq.payment.Payments;
import io.micronaut.context.BeanContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.HttpClientRegistry;
import io.micronaut.http.client.LoadBalancer;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/**
 * YooKassa notifications. The body is only a hint: genq re-fetches the payment from YooKassa
 * (basic auth with shop id and secret key) and believes that answer alone. The payment's
 * {@code metadata.account_id} names the genq account; only {@code succeeded} is worth coins.
 */
@ErrorResponses
@Controller("/webhooks/yookassa")
@ExecuteOn(TaskExecutors.BLOCKING)
class YooKassaWebhook {
    static final String PROVIDER = "yookassa";
    private static final ObjectMapper JSON = JsonTrees.MAPPER;
    private static final Map<String, Integer> RANK = Map.of("pending", 0, "waiting_for_capture", 1, "succeeded", 2, "canceled", 2);

    private final PaymentsConfig.YooKassa config;
    private final Payments payments;
    private final HttpClient client;

    /** The client comes from the context's registry, so it shares the context's event loops and closes with it. */
    YooKassaWebhook(PaymentsConfig.YooKassa config, Payments payments, HttpClientRegistry<?> clients, BeanContext context) {
        this.config = config;
        this.payments = payments;
        this.client = clients.resolveClient(null, LoadBalancer.fixed(URI.create(config.getBaseUrl())), new DefaultHttpClientConfiguration(), context);
    }

    @Post
    PaymentOutcome notification(@Body String body) throws IOException {
        if (config.getShopId() == null || config.getShopId().isBlank() || config.getSecretKey() == null || config.getSecretKey().isBlank()) {
            throw new GenqException(ErrorCode.NOT_FOUND, "YooKassa is not configured");
        }
        JsonNode notification = JSON.readTree(body);
        String event = notification.path("event").asText();
        String paymentId = notification.path("object").path("id").asText("");
        if (!event.startsWith("payment.")) {
            return new PaymentOutcome(false, 0, event); // refunds and payouts are not top-ups
        }
        if (paymentId.isBlank()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "notification names no payment");
        }
        JsonNode payment = fetch(paymentId);
        String status = payment.path("status").asText();
        Integer rank = RANK.get(status);
        if (rank == null) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "YooKassa reports unknown status '" + status + "'");
        }
        UUID account;
        try {
            account = UUID.fromString(payment.path("metadata").path("account_id").asText());
        } catch (IllegalArgumentException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "payment " + paymentId + " carries no metadata.account_id");
        }
        long worth = status.equals("succeeded")
            ? Coins.of(Coins.money(payment.path("amount").path("value").asText("0"), "amount.value"), config.getCoinsPerUnit(), "amount.value")
            : 0;
        return payments.apply(new PaymentEvent(PROVIDER, paymentId, account, status, rank, worth));
    }

    /** YooKassa's own word on the payment; its being unreachable answers 503 so that YooKassa retries. */
    private JsonNode fetch(String paymentId) throws IOException {
        BlockingHttpClient http = client.toBlocking();
        try {
            String answer = http.retrieve(HttpRequest.GET("/v3/payments/" + paymentId)
                .basicAuth(config.getShopId(), config.getSecretKey()), String.class);
            return JSON.readTree(answer);
        } catch (HttpClientResponseException e) {
            int status = e.getResponse().code(); // getStatus() throws on codes HttpStatus does not name
            if (status == 404) {
                throw new GenqException(ErrorCode.INVALID_REQUEST, "YooKassa knows no payment " + paymentId);
            }
            throw new GenqException(ErrorCode.UNAVAILABLE, "YooKassa answered " + status + "; retry later");
        } catch (HttpClientException e) {
            throw new GenqException(ErrorCode.UNAVAILABLE, "YooKassa is unreachable; retry later");
        }
    }
}
