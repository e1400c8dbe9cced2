package dev.genq.provider.generic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A path into a JSON answer, as written in catalog options: dot-separated field names, where a name
 * ending in {@code []} steps into every element of an array ({@code data.task_result.videos[].url}).
 * Alternatives separated by {@code |} are tried in order ({@code data.task_status_msg|message}).
 */
final class FieldPath {
    private final List<String[]> alternatives;

    private FieldPath(String path) {
        this.alternatives = java.util.Arrays.stream(path.split("\\|")).map(p -> p.trim().split("\\.")).toList();
    }

    static FieldPath of(String path) {
        return new FieldPath(path);
    }

    /** Every value the first alternative that reaches any reaches; empty when none does. */
    List<JsonNode> all(JsonNode root) {
        for (String[] steps : alternatives) {
            List<JsonNode> found = follow(root, steps);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<JsonNode> follow(JsonNode root, String[] steps) {
        List<JsonNode> current = List.of(root);
        for (String step : steps) {
            boolean each = step.endsWith("[]");
            String field = each ? step.substring(0, step.length() - 2) : step;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                JsonNode value = field.isEmpty() ? node : node.path(field);
                if (each && value.isArray()) {
                    value.forEach(next::add);
                } else if (!each && !value.isMissingNode() && !value.isNull()) {
                    next.add(value);
                }
            }
            current = next;
        }
        return current;
    }

    /** The first value's text, or null. */
    String text(JsonNode root) {
        List<JsonNode> values = all(root);
        return values.isEmpty() ? null : values.getFirst().asText();
    }
}
