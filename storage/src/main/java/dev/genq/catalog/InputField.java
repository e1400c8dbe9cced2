package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One input of a model's schema. {@code type} is string, integer, number or boolean; bounds apply
 * to numbers ({@code min}/{@code max}) and strings ({@code minLength}/{@code maxLength});
 * {@code values} restricts a string to a set; {@code default} fills an omitted optional input.
 */
@Serdeable
public record InputField(String type,
                         boolean required,
                         @Nullable Double min,
                         @Nullable Double max,
                         @Nullable Integer minLength,
                         @Nullable Integer maxLength,
                         @Nullable List<String> values,
                         @Nullable @com.fasterxml.jackson.annotation.JsonProperty("default") Object defaultValue) {
}
