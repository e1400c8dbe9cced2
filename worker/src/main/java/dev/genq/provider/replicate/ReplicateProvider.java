package dev.genq.provider.replicate;

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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate's predictions API. A vendor model written {@code owner/name} runs the model's latest
 * version; {@code owner/name:version} (or a bare version id) pins one. Statuses starting and
 * processing are running; succeeded, failed, canceled and aborted (ended before it started) are
 * final; any other is counted and left running until the route deadline. Output URLs expire (an hour at
 * Replicate), so outputs are copied as soon as a check sees them. Replicate takes no idempotency
 * key: a create whose answer is lost is not resent.
 *
 * <p>Webhooks: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} (space
 * separated {@code v1,<base64>} entries) with HMAC-SHA256 over {@code id.timestamp.body}, keyed by
 * the base64 part of the account's {@code whsec_} secret.
 */
public final class ReplicateProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicateProvider.class);
    private final VendorHttp http;
    private final Clock clock;

    public ReplicateProvider(VendorHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Submission submit(ProviderRequest request) throws ProviderException {
        Map<String, Object> body = new LinkedHashMap<>();
        String model = request.model();
        String path;
        if (model.contains(":") || !model.contains("/")) {
            path = "/v1/predictions";
            body.put("version", model.substring(model.indexOf(':') + 1));
        } else {
            path = "/v1/models/" + model + "/predictions";
        }
        body.put("input", request.inputs());
        if (request.webhookUrl() != null) {
            body.put("webhook", request.webhookUrl());
            body.put("webhook_events_filter", List.of("completed"));
        }
        try {
            JsonNode prediction = http.json("submit", http.bearer(HttpRequest.POST(path, body)), ReplicateProvider::error);
            String id = VendorHttp.text(prediction, "id");
            if (id == null) {
                throw ProviderException.retryable("provider_malformed_response", "the prediction has no id");
            }
            return new Submission(id, stateOf(prediction));
        } catch (ProviderException e) {
            throw e.afterSubmit(false);
        }
    }

    @Override
    public TaskState check(TaskRef task) throws ProviderException {
        return stateOf(http.json("poll", http.bearer(HttpRequest.GET("/v1/predictions/" + task.id())), ReplicateProvider::error));
    }

    @Override
    public boolean cancel(TaskRef task) {
        try {
            http.json("cancel", http.bearer(HttpRequest.POST("/v1/predictions/" + task.id() + "/cancel", "")), ReplicateProvider::error);
            return true;
        } catch (ProviderException e) {
            LOG.info("Replicate account {} did not cancel prediction {}: {}", http.account().getName(), task.id(), e.getMessage());
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
            "webhook-id", "webhook-signature");
        String id = signed.get("webhook-id");
        String signatures = signed.get("webhook-signature");
        String secret = http.account().getWebhookSecret();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        } catch (IllegalArgumentException e) {
            throw WebhookWindow.rejected("the account's webhook-secret is not a whsec_ signing secret");
        }
        byte[] expected = Crypto.hmac("HmacSHA256", key, (id + "." + signed.timestamp() + "." + body).getBytes(StandardCharsets.UTF_8));
        boolean matched = false;
        for (String entry : signatures.trim().split(" ")) {
            if (entry.startsWith("v1,")) {
                matched |= Crypto.matchesBase64(expected, entry.substring(3));
            }
        }
        if (!matched) {
            throw WebhookWindow.rejected("webhook signature wrong");
        }
        return WebhookWindow.bodyField(body, "id");
    }

    /** The body is the prediction as its poll answers it. */
    @Override
    public TaskState.Done reportedSuccess(TaskRef task, String verifiedBody) {
        return WebhookWindow.reportedSuccess(verifiedBody,
            prediction -> task.id().equals(VendorHttp.text(prediction, "id")) ? stateOf(prediction) : null);
    }

    private TaskState stateOf(JsonNode prediction) {
        String status = VendorHttp.text(prediction, "status");
        return switch (String.valueOf(status)) {
            case "starting", "processing" -> new TaskState.Running(0);
            case "succeeded" -> succeeded(prediction.path("output"));
            case "failed" -> new TaskState.Failed(ProviderException.permanent("provider_failed",
                prediction.path("error").isNull() ? "the prediction failed" : prediction.path("error").asText()));
            case "canceled" -> new TaskState.Failed(ProviderException.cancelled("the prediction was canceled"));
            case "aborted" -> new TaskState.Failed(ProviderException.permanent("provider_aborted",
                "Replicate aborted the prediction before it started"));
            default -> http.unknownStatus(status);
        };
    }

    /** Output is a URL, a list of URLs, or (text models) strings; only URLs are files to copy. */
    private static TaskState succeeded(JsonNode output) {
        List<ProviderResult.Output> outputs = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        if (output.isArray()) {
            output.forEach(items::add);
        } else if (!output.isMissingNode() && !output.isNull()) {
            items.add(output);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode item : items) {
            String value = item.asText();
            if (value.startsWith("http://") || value.startsWith("https://")) {
                outputs.add(ProviderResult.Output.at(URI.create(value), null));
            } else {
                text.append(value);
            }
        }
        if (outputs.isEmpty() && !text.isEmpty()) {
            outputs.add(ProviderResult.Output.inline(text.toString().getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8"));
        }
        if (outputs.isEmpty()) {
            return new TaskState.Failed(ProviderException.permanent("provider_no_output", "the prediction succeeded without output"));
        }
        return new TaskState.Done(ProviderResult.of(outputs));
    }

    /** Replicate answers errors as problem details: {@code {"title","detail","status"}}. */
    private static VendorHttp.VendorError error(JsonNode answer) {
        return new VendorHttp.VendorError(null, VendorHttp.text(answer, "detail") != null
            ? VendorHttp.text(answer, "detail") : VendorHttp.text(answer, "title"));
    }
}
