package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Refuses a second active generation of the same account and model for the same target: the
 * value of input {@code input} (a link to promote, say), or, when that is unset, all inputs.
 */
@Serdeable
public record DuplicateGuard(@Nullable String input) {
}
