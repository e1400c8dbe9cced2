package dev.genq.provider.generic;

import java.util.List;
import java.util.Map;

/**
 * How the generic adapter speaks to one route, read from the route's {@code options}. Every setting
 * has genq's own protocol as its default; an empty string turns an optional part off.
 *
 * <ul>
 * <li>{@code submitPath} ({@code /v1/tasks}): POSTed with the JSON body.
 * <li>{@code inputsField} ({@code input}): where the inputs go in the body; empty puts them at the top level.
 * <li>{@code modelField} ({@code model}), {@code unitsField} ({@code units}), {@code webhookField} ({@code webhook}).
 * <li>{@code idempotencyHeader} ({@code Idempotency-Key}): carries the generation id; empty when the
 *     vendor has none, and then a submit of unknown fate is not resent.
 * <li>{@code pollPath} ({@code /v1/tasks/{id}}), {@code cancelPath} ({@code /v1/tasks/{id}/cancel}; empty: no cancel).
 * <li>{@code idPath} ({@code id}), {@code statusPath} ({@code status}), {@code progressPath} ({@code progress}),
 *     {@code outputsPath} ({@code outputs[].url}), {@code outputTypesPath} ({@code outputs[].content_type}),
 *     {@code errorCodePath} ({@code error.code}), {@code errorMessagePath} ({@code error.message}): field paths.
 * <li>{@code succeeded} ({@code [succeeded]}), {@code failed} ({@code [failed]}), {@code canceled}
 *     ({@code [canceled, cancelled]}): status values; any other status means still running.
 * </ul>
 */
record GenericSpec(String submitPath, String inputsField, String modelField, String unitsField, String webhookField,
                   String idempotencyHeader, String pollPath, String cancelPath, FieldPath id, FieldPath status,
                   FieldPath progress, FieldPath outputs, FieldPath outputTypes, FieldPath errorCode,
                   FieldPath errorMessage, List<String> succeeded, List<String> failed, List<String> canceled) {

    static GenericSpec from(Map<String, Object> options) {
        return new GenericSpec(
            string(options, "submitPath", "/v1/tasks"), string(options, "inputsField", "input"),
            string(options, "modelField", "model"), string(options, "unitsField", "units"),
            string(options, "webhookField", "webhook"), string(options, "idempotencyHeader", "Idempotency-Key"),
            string(options, "pollPath", "/v1/tasks/{id}"), string(options, "cancelPath", "/v1/tasks/{id}/cancel"),
            path(options, "idPath", "id"), path(options, "statusPath", "status"), path(options, "progressPath", "progress"),
            path(options, "outputsPath", "outputs[].url"), path(options, "outputTypesPath", "outputs[].content_type"),
            path(options, "errorCodePath", "error.code"), path(options, "errorMessagePath", "error.message"),
            list(options, "succeeded", List.of("succeeded")), list(options, "failed", List.of("failed")),
            list(options, "canceled", List.of("canceled", "cancelled")));
    }

    String poll(String taskId) {
        return pollPath.replace("{id}", taskId);
    }

    private static String string(Map<String, Object> options, String name, String fallback) {
        Object value = options.get(name);
        return value == null ? fallback : value.toString();
    }

    private static FieldPath path(Map<String, Object> options, String name, String fallback) {
        return FieldPath.of(string(options, name, fallback));
    }

    private static List<String> list(Map<String, Object> options, String name, List<String> fallback) {
        Object value = options.get(name);
        return value instanceof List<?> values ? values.stream().map(String::valueOf).toList() : fallback;
    }
}
