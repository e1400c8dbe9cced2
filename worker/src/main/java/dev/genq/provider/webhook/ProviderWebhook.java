package dev.genq.provider.webhook;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.TaskChecks;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderException;
import dev.genq.provider.Providers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code POST /webhooks/providers/{account}}: a vendor says one of its tasks changed. The account's
 * adapter checks the signature by its vendor's scheme; a verified delivery wakes the task's check
 * and goes with it, so where its body reports the task's success the check takes it from there
 * instead of asking the vendor again ({@link Provider#reportedSuccess}). A forged delivery is refused; a
 * replayed one can only repeat what the vendor said of the task; an early one, whose task is not
 * yet recorded, waits for it a few seconds.
 */
@Controller("/webhooks/providers")
@ExecuteOn(TaskExecutors.BLOCKING)
class ProviderWebhook {
    private final Providers providers;
    private final TaskChecks checks;

    ProviderWebhook(Providers providers, TaskChecks checks) {
        this.providers = providers;
        this.checks = checks;
    }

    /** 202 whether or not a running task matched: what the vendor may learn is only that it was heard. */
    @Post("/{account}")
    HttpResponse<?> receive(@PathVariable String account, HttpRequest<?> request, @Body String body) {
        Provider provider;
        try {
            provider = providers.get(account).provider();
        } catch (ProviderException e) {
            throw GenqException.notFound("provider account " + account);
        }
        if (!provider.webhooksEnabled()) {
            throw GenqException.notFound("webhooks of provider account " + account);
        }
        String taskId;
        try {
            taskId = provider.verifiedWebhookTaskId(name -> request.getHeaders().get(name), body);
        } catch (ProviderException e) {
            throw new GenqException(ErrorCode.UNAUTHORIZED, e.getMessage());
        }
        checks.wakeSoon(account, taskId, body);
        return HttpResponse.accepted();
    }
}
