package dev.genq.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelKindTest {
    @ParameterizedTest
    @CsvSource({"image, image/png, true", "image, IMAGE/WEBP, true", "image, text/html, false", "video, video/mp4, true",
        "video, image/gif, false", "audio, audio/mpeg, true", "text, text/plain; charset=utf-8, true",
        "text, application/json, true", "text, application/octet-stream, false", "order, application/octet-stream, true"})
    void aKindAcceptsOnlyItsMediaTypes(ModelKind kind, String contentType, boolean accepted) {
        assertThat(kind.accepts(contentType)).isEqualTo(accepted);
    }
}
