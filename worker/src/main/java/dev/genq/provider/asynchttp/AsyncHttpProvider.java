package dev.genq.provider.asynchttp;

import dev.genq.provider.Provider;
import dev.genq.provider.ProviderConfig;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** Submits a task with the generation id as Idempotency-Key, then polls it until it ends. */
public final class AsyncHttpProvider implements Provider {
    private final ProviderConfig config;
    private final BlockingHttpClient http;
    private final MeterRegistry metrics;

    public AsyncHttpProvider(ProviderConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        DefaultHttpClientConfiguration clientConfig = new DefaultHttpClientConfiguration();
        clientConfig.setConnectTimeout(config.getConnectTimeout());
        clientConfig.setReadTimeout(config.getRequestTimeout());
        try {
            this.http = HttpClient.create(URI.create(config.getBaseUrl()).toURL(), clientConfig).toBlocking();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("provider " + config.getName() + " has a bad base-url", e);
        }
    }

    @Override
    public ProviderResult generate(ProviderRequest request, IntConsumer progress) throws ProviderException {
        Instant deadline = Instant.now().plus(config.getDeadline());
        Wire.Task task = call("submit", () -> http.retrieve(authorized(HttpRequest.POST("/v1/tasks",
                new Wire.SubmitBody(request.model(), request.inputs(), request.units())))
            .header("Idempotency-Key", request.generationId().toString()), Argument.of(Wire.Task.class), Argument.of(Wire.ErrorBody.class)));
        while (!isFinal(task.status())) {
            if (Instant.now().isAfter(deadline)) {
                throw ProviderException.permanent("provider_timeout", "the provider did not finish within " + config.getDeadline());
            }
            if (task.progress() != null) {
                progress.accept(task.progress());
            }
            sleep();
            String id = task.id();
            task = call("poll", () -> http.retrieve(authorized(HttpRequest.GET("/v1/tasks/" + id)),
                Argument.of(Wire.Task.class), Argument.of(Wire.ErrorBody.class)));
        }
        return switch (task.status()) {
            case "succeeded" -> succeeded(task);
            case "failed" -> throw ProviderException.permanent(
                task.error() != null && task.error().code() != null ? task.error().code() : "provider_failed",
                task.error() != null && task.error().message() != null ? task.error().message() : "the provider failed the task");
            default -> throw ProviderException.permanent("provider_cancelled", "the provider cancelled the task");
        };
    }

    private static ProviderResult succeeded(Wire.Task task) throws ProviderException {
        List<Wire.Output> outputs = task.outputs() == null ? List.of() : task.outputs();
        if (outputs.isEmpty()) {
            throw ProviderException.permanent("provider_no_output", "the provider succeeded without outputs");
        }
        return new ProviderResult(outputs.stream()
            .map(o -> new ProviderResult.Output(URI.create(o.url()), o.contentType() == null ? "application/octet-stream" : o.contentType()))
            .toList(), outputs.size());
    }

    private static boolean isFinal(String status) {
        return status.equals("succeeded") || status.equals("failed") || status.equals("canceled") || status.equals("cancelled");
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
                error == null || error.message() == null ? e.getMessage() : error.message());
        } catch (HttpClientException e) {
            outcome = "io_error";
            throw ProviderException.retryable("provider_unreachable", "provider call failed: " + e.getMessage());
        } finally {
            sample.stop(metrics.timer("genq.provider.call", "provider", config.getName(), "operation", operation, "outcome", outcome));
        }
    }

    private void sleep() throws ProviderException {
        try {
            Thread.sleep(config.getPollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.retryable("worker_interrupted", "the worker stopped while waiting");
        }
    }
}
