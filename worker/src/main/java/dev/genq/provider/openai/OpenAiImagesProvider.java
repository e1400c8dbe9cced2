package dev.genq.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderResult;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskRef;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import io.micronaut.http.HttpRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's image generation. The answer carries the images, so a submit comes back finished; the
 * generation id is the task id genq records. The API documents no idempotency key, so a submit whose
 * answer is lost is not resent (see {@link ProviderException#afterSubmit}). The GPT image models
 * always answer base64 and refuse {@code response_format} (400 {@code unknown_parameter}), so it is
 * sent to DALL·E models only, where the route option {@code responseFormat} picks {@code b64_json}
 * (genq's default: no second download) or {@code url}.
 */
public final class OpenAiImagesProvider implements Provider {
    private final VendorHttp http;

    public OpenAiImagesProvider(VendorHttp http) {
        this.http = http;
    }

    @Override
    public Submission submit(ProviderRequest request) throws ProviderException {
        Map<String, Object> body = new LinkedHashMap<>(request.inputs());
        body.remove("n");
        body.put("model", request.model());
        body.put("n", request.units());
        if (request.model().startsWith("dall-e")) {
            body.put("response_format", String.valueOf(request.options().getOrDefault("responseFormat", "b64_json")));
        }
        try {
            JsonNode answer = http.json("submit", http.bearer(HttpRequest.POST("/v1/images/generations", body)), OpenAiImagesProvider::error);
            return new Submission(request.generationId().toString(), new TaskState.Done(ProviderResult.of(outputs(answer))));
        } catch (ProviderException e) {
            throw e.afterSubmit(false);
        }
    }

    /**
     * There is nothing to ask: the submit's answer was the result. Asked anyway, the result did not
     * survive (the worker stopped before storing it), and the generation is refunded.
     */
    @Override
    public TaskState check(TaskRef task) {
        return new TaskState.Failed(ProviderException.permanent("provider_result_lost",
            "the provider answers at once and its images were not stored before the worker stopped"));
    }

    @Override
    public boolean cancel(TaskRef task) {
        return false; // a synchronous call has nothing left to cancel
    }

    private static List<ProviderResult.Output> outputs(JsonNode answer) throws ProviderException {
        JsonNode data = answer == null ? null : answer.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw ProviderException.retryable("provider_malformed_response", "the provider's answer has no data");
        }
        List<ProviderResult.Output> outputs = new ArrayList<>();
        for (JsonNode image : data) {
            String b64 = VendorHttp.text(image, "b64_json");
            String url = VendorHttp.text(image, "url");
            if (b64 != null) {
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(b64);
                } catch (IllegalArgumentException e) {
                    throw ProviderException.retryable("provider_malformed_response", "an image in the answer is not base64");
                }
                outputs.add(ProviderResult.Output.inline(bytes, MediaTypes.sniffImage(bytes)));
            } else if (url != null) {
                outputs.add(ProviderResult.Output.at(URI.create(url), null));
            }
        }
        return outputs;
    }

    private static VendorHttp.VendorError error(JsonNode answer) {
        JsonNode error = answer.path("error");
        return new VendorHttp.VendorError(VendorHttp.text(error, "code"), VendorHttp.text(error, "message"));
    }
}
