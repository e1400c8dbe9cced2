package dev.genq.provider.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.Generations;
import dev.genq.infra.Crypto;
import dev.genq.provider.ProviderConfig;
import dev.genq.provider.ProviderException;
import dev.genq.provider.Providers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** {@code POST /webhooks/providers/{account}}: a vendor says one of its tasks changed. */
@Controller("/webhooks/providers")
@Requires(env = "worker")
@ExecuteOn(TaskExecutors.BLOCKING)
class ProviderWebhook {
    /** Older signed webhooks are refused, so a captured one cannot be replayed for long. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Providers providers;
    private final Generations generations;
    private final Clock clock;

    ProviderWebhook(Providers providers, Generations generations, Clock clock) {
        this.providers = providers;
        this.generations = generations;
        this.clock = clock;
    }

    /** 202 whether or not a running task matched: what the vendor may learn is only that it was heard. */
    @Post("/{account}")
    HttpResponse<?> receive(@PathVariable String account, @Nullable @Header("webhook-timestamp") String timestamp,
                            @Nullable @Header("webhook-signature") String signature, @Body String body) throws IOException {
        ProviderConfig config;
        try {
            config = providers.get(account).config();
        } catch (ProviderException e) {
            throw GenqException.notFound("provider account " + account);
        }
        if (config.getWebhookSecret() == null || !verified(config.getWebhookSecret(), timestamp, signature, body)) {
            throw new GenqException(ErrorCode.UNAUTHORIZED, "webhook signature missing, wrong or too old");
        }
        JsonNode event = JSON.readTree(body);
        String taskId = event.path("id").asText("");
        if (taskId.isBlank()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "webhook names no task id");
        }
        generations.wake(account, taskId);
        return HttpResponse.accepted();
    }

    private boolean verified(String secret, String timestamp, String signature, String body) {
        if (timestamp == null || signature == null || !signature.startsWith("v1=")) {
            return false;
        }
        try {
            Instant sentAt = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
            if (Duration.between(sentAt, clock.instant()).abs().compareTo(MAX_AGE) > 0) {
                return false;
            }
        } catch (NumberFormatException e) {
            return false; // not a timestamp: not signed by the vendor
        }
        return Crypto.matchesHex(Crypto.hmac("HmacSHA256", secret, timestamp.trim() + "." + body), signature.substring(3));
    }
}
