package dev.genq.provider.generic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.infra.Crypto;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderResult;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskRef;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import dev.genq.provider.WebhookWindow;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vendor with an async task API whose shape the route's options describe (see {@link GenericSpec}).
 * Webhooks, when the account has a secret, are signed as genq's protocol signs them: headers
 * {@code webhook-timestamp} and {@code webhook-signature: v1=<hex HMAC-SHA256 of "timestamp.body">}.
 */
public final class GenericHttpProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(GenericHttpProvider.class);
    private final VendorHttp http;
    private final Clock clock;

    public GenericHttpProvider(VendorHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Submission submit(ProviderRequest request) throws ProviderException {
        GenericSpec spec = GenericSpec.from(request.options());
        Map<String, Object> body = new LinkedHashMap<>();
        if (spec.inputsField().isEmpty()) {
            body.putAll(request.inputs());
        } else {
            body.put(spec.inputsField(), request.inputs());
        }
        putIf(body, spec.modelField(), request.model());
        putIf(body, spec.unitsField(), request.units());
        putIf(body, spec.webhookField(), request.webhookUrl());
        MutableHttpRequest<?> post = http.bearer(HttpRequest.POST(spec.submitPath(), body));
        boolean idempotent = !spec.idempotencyHeader().isEmpty();
        if (idempotent) {
            post.header(spec.idempotencyHeader(), request.generationId().toString());
        }
        try {
            JsonNode task = http.json("submit", post, answer -> error(spec, answer));
            String id = spec.id().text(task);
            if (id == null || id.isBlank()) {
                throw ProviderException.retryable("provider_malformed_response", "the provider's answer names no task id");
            }
            return new Submission(id, stateOf(spec, task));
        } catch (ProviderException e) {
            throw e.afterSubmit(idempotent);
        }
    }

    @Override
    public TaskState check(TaskRef task) throws ProviderException {
        GenericSpec spec = GenericSpec.from(task.options());
        return stateOf(spec, http.json("poll", http.bearer(HttpRequest.GET(spec.poll(task.id()))), answer -> error(spec, answer)));
    }

    @Override
    public boolean cancel(TaskRef task) {
        GenericSpec spec = GenericSpec.from(task.options());
        if (spec.cancelPath().isEmpty()) {
            return false;
        }
        try {
            http.json("cancel", http.bearer(HttpRequest.POST(spec.cancelPath().replace("{id}", task.id()), "")), answer -> error(spec, answer));
            return true;
        } catch (ProviderException e) {
            LOG.info("provider {} did not cancel task {}: {}", http.account().getName(), task.id(), e.getMessage());
            return false;
        }
    }

    @Override
    public boolean webhooksEnabled() {
        return http.account().getWebhookSecret() != null;
    }

    @Override
    public String verifiedWebhookTaskId(Function<String, String> header, String body) throws ProviderException {
        WebhookWindow.SignedHeaders signed = WebhookWindow.signedHeaders(header, clock, webhooksEnabled(), "webhook-timestamp",
            "webhook-signature");
        String signature = signed.get("webhook-signature");
        if (!signature.startsWith("v1=") || !Crypto.matchesHex(
            Crypto.hmac("HmacSHA256", http.account().getWebhookSecret(), signed.timestamp() + "." + body), signature.substring(3))) {
            throw WebhookWindow.rejected("webhook signature wrong");
        }
        return WebhookWindow.bodyField(body, "id");
    }

    /** The body is the task as its poll answers it. */
    @Override
    public TaskState.Done reportedSuccess(TaskRef task, String verifiedBody) {
        GenericSpec spec = GenericSpec.from(task.options());
        return WebhookWindow.reportedSuccess(verifiedBody, body -> task.id().equals(spec.id().text(body)) ? stateOf(spec, body) : null);
    }

    private static TaskState stateOf(GenericSpec spec, JsonNode task) throws ProviderException {
        String status = spec.status().text(task);
        if (status == null) {
            throw ProviderException.retryable("provider_malformed_response", "the provider's answer has no status");
        }
        if (spec.succeeded().contains(status)) {
            return succeeded(spec, task);
        }
        if (spec.failed().contains(status)) {
            String code = spec.errorCode().text(task);
            String message = spec.errorMessage().text(task);
            return new TaskState.Failed(ProviderException.permanent(code != null && !code.isBlank() ? code : "provider_failed",
                message != null ? message : "the provider failed the task"));
        }
        if (spec.canceled().contains(status)) {
            return new TaskState.Failed(ProviderException.cancelled("the provider cancelled the task"));
        }
        String progress = spec.progress().text(task);
        return new TaskState.Running(progress != null && progress.matches("\\d{1,3}") ? Integer.parseInt(progress) : 0);
    }

    private static TaskState succeeded(GenericSpec spec, JsonNode task) {
        List<JsonNode> urls = spec.outputs().all(task);
        if (urls.isEmpty()) {
            return new TaskState.Failed(ProviderException.permanent("provider_no_output", "the provider succeeded without outputs"));
        }
        List<JsonNode> types = spec.outputTypes().all(task);
        List<ProviderResult.Output> outputs = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            outputs.add(ProviderResult.Output.at(URI.create(urls.get(i).asText()), i < types.size() ? types.get(i).asText() : null));
        }
        return new TaskState.Done(ProviderResult.of(outputs));
    }

    private static VendorHttp.VendorError error(GenericSpec spec, JsonNode answer) {
        return new VendorHttp.VendorError(spec.errorCode().text(answer), spec.errorMessage().text(answer));
    }

    private static void putIf(Map<String, Object> body, String field, Object value) {
        if (!field.isEmpty() && value != null) {
            body.put(field, value);
        }
    }
}
