package dev.genq.provider.asynchttp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/** The protocol's JSON bodies. Responses ignore fields they do not know: vendors add fields. */
final class Wire {
    private Wire() {
    }

    @Serdeable
    record SubmitBody(String model, Map<String, Object> input, int units, @Nullable String webhook) {
    }

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Task(String id, String status, @Nullable Integer progress, @Nullable List<Output> outputs, @Nullable Error error) {
    }

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Output(String url, @Nullable @JsonProperty("content_type") String contentType) {
    }

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Error(@Nullable String code, @Nullable String message) {
    }

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(@Nullable Error error) {
    }
}
