package dev.genq.provider.fal;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.micronaut.http.uri.UriBuilder;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fal's queue. The vendor model is the endpoint id ({@code fal-ai/flux/dev}); status, result and
 * cancel live under its app ({@code fal-ai/flux}). Statuses are IN_QUEUE, IN_PROGRESS and
 * COMPLETED (docs.fal.ai, Queue, read 2026-12); a completed request's result is the model's own
 * JSON, every object in it with a {@code url} an output ({@code images[]}, {@code video},
 * {@code audio}), or an error answer saying why it failed. The queue takes no idempotency key: a
 * submit whose answer is lost is not resent.
 */
public final class FalQueueProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(FalQueueProvider.class);
    /** The request error type of a request cancelled before it ended. */
    private static final String CANCELLED_TYPE = "client_cancelled";
    private final VendorHttp http;
    private final FalWebhookKeys keys;
    private final Clock clock;

    public FalQueueProvider(VendorHttp http, FalWebhookKeys keys, Clock clock) {
        this.http = http;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public Submission submit(ProviderRequest request) throws ProviderException {
        UriBuilder uri = UriBuilder.of("/" + request.model());
        if (request.webhookUrl() != null) {
            uri.queryParam("fal_webhook", request.webhookUrl());
        }
        try {
            JsonNode queued = http.json("submit", keyed(HttpRequest.POST(uri.build(), request.inputs())), FalQueueProvider::error);
            String id = VendorHttp.text(queued, "request_id");
            if (id == null) {
                throw ProviderException.retryable("provider_malformed_response", "the queue's answer has no request_id");
            }
            return new Submission(id, new TaskState.Running(0, queuePosition(queued)));
        } catch (ProviderException e) {
            throw e.afterSubmit(false);
        }
    }

    @Override
    public TaskState check(TaskRef task) throws ProviderException {
        String base = "/" + appId(task.model()) + "/requests/" + task.id();
        JsonNode status = http.json("poll", keyed(HttpRequest.GET(base + "/status")), FalQueueProvider::error);
        String state = String.valueOf(VendorHttp.text(status, "status"));
        return switch (state) {
            case "IN_QUEUE", "IN_PROGRESS" -> new TaskState.Running(0, queuePosition(status));
            case "COMPLETED" -> completed(base);
            default -> http.unknownStatus(VendorHttp.text(status, "status"));
        };
    }

    /**
     * A completed request's result, or why it failed: fal reports a failure only there, as an error
     * answer naming its {@code error_type} (a request error) or typed {@code detail} items (a model
     * error, 422). Such an answer ends the task; an error without either (fal's gateway failing) is
     * classified as any other and the task is checked again.
     */
    private TaskState completed(String base) throws ProviderException {
        try {
            return result(http.json("result", keyed(HttpRequest.GET(base)), FalQueueProvider::error));
        } catch (ProviderException e) {
            if (e.code().equals(CANCELLED_TYPE)) {
                return new TaskState.Failed(ProviderException.cancelled("fal cancelled the request: " + e.getMessage()));
            }
            if (e.code().startsWith("provider_")) {
                throw e;
            }
            return new TaskState.Failed(ProviderException.permanent(e.code(), e.getMessage()));
        }
    }

    @Override
    public boolean cancel(TaskRef task) {
        try {
            http.json("cancel", keyed(HttpRequest.PUT("/" + appId(task.model()) + "/requests/" + task.id() + "/cancel", "")),
                FalQueueProvider::error);
            return true;
        } catch (ProviderException e) {
            LOG.info("fal account {} did not cancel request {}: {}", http.account().getName(), task.id(), e.getMessage());
            return false;
        }
    }

    @Override
    public boolean webhooksEnabled() {
        return http.account().getWebhookJwksUrl() != null;
    }

    /**
     * fal signs {@code request_id \n user_id \n timestamp \n hex(sha256(body))} with ED25519; the
     * signature (hex) is valid under any key of its published set.
     */
    @Override
    public String verifiedWebhookTaskId(Function<String, String> header, String body) throws ProviderException {
        WebhookWindow.SignedHeaders signed = WebhookWindow.signedHeaders(header, clock, webhooksEnabled(), "x-fal-webhook-timestamp",
            "x-fal-webhook-request-id", "x-fal-webhook-user-id", "x-fal-webhook-signature");
        String requestId = signed.get("x-fal-webhook-request-id");
        if (!keys.verify(http.account().getWebhookJwksUrl(), requestId, signed.get("x-fal-webhook-user-id"), signed.timestamp(), body,
            signed.get("x-fal-webhook-signature"))) {
            throw WebhookWindow.rejected("webhook signature wrong");
        }
        if (!requestId.equals(WebhookWindow.bodyField(body, "request_id"))) {
            throw WebhookWindow.rejected("webhook body is about another request");
        }
        return requestId;
    }

    /** An {@code OK} delivery carries the request's result as {@code payload}, as its result endpoint answers it. */
    @Override
    public TaskState.Done reportedSuccess(TaskRef task, String verifiedBody) {
        return WebhookWindow.reportedSuccess(verifiedBody, body -> "OK".equals(VendorHttp.text(body, "status"))
            && task.id().equals(VendorHttp.text(body, "request_id")) && body.path("payload").isObject() ? result(body.get("payload")) : null);
    }

    private TaskState result(JsonNode payload) {
        List<ProviderResult.Output> outputs = new ArrayList<>();
        collectFiles(payload, outputs);
        if (outputs.isEmpty()) {
            return new TaskState.Failed(ProviderException.permanent("provider_no_output", "the result holds no files"));
        }
        return new TaskState.Done(ProviderResult.of(outputs));
    }

    private static void collectFiles(JsonNode node, List<ProviderResult.Output> into) {
        if (node.isObject() && node.path("url").isTextual()) {
            into.add(ProviderResult.Output.at(URI.create(node.get("url").asText()), VendorHttp.text(node, "content_type")));
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collectFiles(child, into));
        }
    }

    private <T> MutableHttpRequest<T> keyed(MutableHttpRequest<T> request) {
        return http.account().getApiKey() == null ? request : request.header("Authorization", "Key " + http.account().getApiKey());
    }

    /** {@code fal-ai/flux/dev} runs in app {@code fal-ai/flux}: the owner and the app's name. */
    static String appId(String endpointId) {
        String[] parts = endpointId.split("/");
        return parts.length <= 2 ? endpointId : parts[0] + "/" + parts[1];
    }

    private static Integer queuePosition(JsonNode answer) {
        JsonNode position = answer.get("queue_position");
        return position != null && position.canConvertToInt() ? position.asInt() : null;
    }

    /**
     * fal's two error shapes: a request error {@code {"detail": "...", "error_type": "..."}}, and a
     * model error {@code {"detail": [{"loc","msg","type"}]}}; the code is the error type, or the first
     * item's type.
     */
    private static VendorHttp.VendorError error(JsonNode answer) {
        JsonNode detail = answer.path("detail");
        if (detail.isArray() && !detail.isEmpty()) {
            StringBuilder messages = new StringBuilder();
            detail.forEach(item -> messages.append(messages.isEmpty() ? "" : "; ").append(item.path("msg").asText(item.toString())));
            return new VendorHttp.VendorError(VendorHttp.text(detail.get(0), "type"), messages.toString());
        }
        return new VendorHttp.VendorError(VendorHttp.text(answer, "error_type"),
            detail.isTextual() ? detail.asText() : detail.isMissingNode() ? null : detail.toString());
    }
}
