package dev.genq.provider.asynchttp;

import dev.genq.provider.Provider;
import dev.genq.provider.ProviderConfig;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderResult;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.HttpClientConfiguration;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Submits a task with the generation id as Idempotency-Key; checks and cancels it by id. */
public final class AsyncHttpProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncHttpProvider.class);
    private final ProviderConfig config;
    private final BlockingHttpClient http;
    private final MeterRegistry metrics;

    /** @param client an HTTP client for the provider's base URL, owned by the caller's context */
    public AsyncHttpProvider(ProviderConfig config, HttpClient client, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        this.http = client.toBlocking();
    }

    /** The client settings this adapter expects: the account's connect and request timeouts. */
    public static HttpClientConfiguration clientConfiguration(ProviderConfig config) {
        DefaultHttpClientConfiguration clientConfig = new DefaultHttpClientConfiguration();
        clientConfig.setConnectTimeout(config.getConnectTimeout());
        clientConfig.setReadTimeout(config.getRequestTimeout());
        return clientConfig;
    }

    @Override
    public Submission submit(ProviderRequest request) throws ProviderException {
        Wire.Task task = call("submit", () -> http.retrieve(authorized(HttpRequest.POST("/v1/tasks",
                new Wire.SubmitBody(request.model(), request.inputs(), request.units(), request.webhookUrl())))
            .header("Idempotency-Key", request.generationId().toString()), Argument.of(Wire.Task.class), Argument.of(Wire.ErrorBody.class)));
        return new Submission(task.id(), stateOf(task));
    }

    @Override
    public TaskState check(String taskId) throws ProviderException {
        return stateOf(call("poll", () -> http.retrieve(authorized(HttpRequest.GET("/v1/tasks/" + taskId)),
            Argument.of(Wire.Task.class), Argument.of(Wire.ErrorBody.class))));
    }

    @Override
    public void cancel(String taskId) {
        try {
            call("cancel", () -> http.retrieve(authorized(HttpRequest.POST("/v1/tasks/" + taskId + "/cancel", "")),
                Argument.of(Wire.Task.class), Argument.of(Wire.ErrorBody.class)));
        } catch (ProviderException e) {
            LOG.info("provider {} did not cancel task {}: {}", config.getName(), taskId, e.getMessage());
        }
    }

    private static TaskState stateOf(Wire.Task task) {
        return switch (task.status()) {
            case "succeeded" -> succeeded(task);
            case "failed" -> new TaskState.Failed(ProviderException.permanent(
                task.error() != null && task.error().code() != null ? task.error().code() : "provider_failed",
                task.error() != null && task.error().message() != null ? task.error().message() : "the provider failed the task"));
            case "canceled", "cancelled" -> new TaskState.Failed(ProviderException.permanent("provider_cancelled", "the provider cancelled the task"));
            default -> new TaskState.Running(task.progress() == null ? 0 : task.progress());
        };
    }

    private static TaskState succeeded(Wire.Task task) {
        List<Wire.Output> outputs = task.outputs() == null ? List.of() : task.outputs();
        if (outputs.isEmpty()) {
            return new TaskState.Failed(ProviderException.permanent("provider_no_output", "the provider succeeded without outputs"));
        }
        return new TaskState.Done(new ProviderResult(outputs.stream()
            .map(o -> new ProviderResult.Output(URI.create(o.url()), o.contentType() == null ? "application/octet-stream" : o.contentType()))
            .toList(), outputs.size()));
    }

    private <T> MutableHttpRequest<T> authorized(MutableHttpRequest<T> request) {
        return config.getApiKey() == null ? request : request.bearerAuth(config.getApiKey());
    }

    private Wire.Task call(String operation, Supplier<Wire.Task> call) throws ProviderException {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "ok";
        try {
            Wire.Task task = call.get();
            if (task == null || task.id() == null || task.status() == null) {
                outcome = "malformed";
                throw ProviderException.retryable("provider_malformed_response", "the provider's answer lacks id or status");
            }
            return task;
        } catch (HttpClientResponseException e) {
            outcome = String.valueOf(e.getStatus().getCode());
            Wire.Error error = e.getResponse().getBody(Wire.ErrorBody.class).map(Wire.ErrorBody::error).orElse(null);
            throw ProviderException.fromStatus(e.getStatus().getCode(), error == null ? null : error.code(),
                error == null || error.message() == null ? e.getMessage() : error.message(),
                e.getResponse().getHeaders().get("Retry-After"));
        } catch (HttpClientException e) {
            outcome = "io_error";
            throw ProviderException.retryable("provider_unreachable", "provider call failed: " + e.getMessage());
        } finally {
            sample.stop(metrics.timer("genq.provider.call", "provider", config.getName(), "operation", operation, "outcome", outcome));
        }
    }
}
