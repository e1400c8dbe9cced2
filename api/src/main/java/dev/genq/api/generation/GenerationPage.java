package dev.genq.api.generation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One page of history; pass {@code nextCursor} as {@code cursor} for the next page (null at the end). */
@Serdeable
public record GenerationPage(List<GenerationResponse> data, @Nullable String nextCursor) {
}
