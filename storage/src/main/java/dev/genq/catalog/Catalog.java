package dev.genq.catalog;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The models genq sells, loaded once at start; prices a request against a model's schema. */
@Singleton
public class Catalog {
    private final Map<String, Model> models = new LinkedHashMap<>();

    public Catalog(CatalogConfig config, JsonMapper json) throws IOException {
        try (InputStream in = config.getPath() != null
            ? Files.newInputStream(Path.of(config.getPath()))
            : Catalog.class.getResourceAsStream("/catalog/default.json")) {
            CatalogFile file = json.readValue(in, CatalogFile.class);
            file.models().forEach(m -> models.put(m.id(), m));
        }
    }

    public Collection<Model> models() {
        return models.values();
    }

    /** The model, if the catalog still has it. */
    public Optional<Model> find(String id) {
        return Optional.ofNullable(id == null ? null : models.get(id));
    }

    public Model model(String id) {
        Model model = id == null ? null : models.get(id);
        if (model == null) {
            throw new GenqException(ErrorCode.UNKNOWN_MODEL, "unknown model '" + id + "'; GET /v1/models lists them");
        }
        return model;
    }

    /** Checks inputs against the model's schema, fills defaults and counts units; bad input throws invalid_input. */
    public Validated validate(String modelId, Map<String, Object> inputs) {
        Model model = model(modelId);
        SortedMap<String, Object> normalized = new TreeMap<>();
        Map<String, Object> given = inputs == null ? Map.of() : inputs;
        for (String name : given.keySet()) {
            if (!model.inputs().containsKey(name)) {
                throw invalid("unknown input '" + name + "' for model " + model.id() + "; allowed: "
                    + String.join(", ", model.inputs().keySet()));
            }
        }
        model.inputs().forEach((name, field) -> {
            Object value = given.get(name);
            if (value == null) {
                if (field.required()) {
                    throw invalid("input '" + name + "' is required");
                }
                value = field.defaultValue();
            } else {
                value = InputSchema.check(name, field, value);
            }
            if (value != null) {
                normalized.put(name, value);
            }
        });
        int units = model.unitsFrom() == null ? 1 : ((Number) normalized.get(model.unitsFrom())).intValue();
        return new Validated(model, normalized, units);
    }

    static GenqException invalid(String message) {
        return new GenqException(ErrorCode.INVALID_INPUT, message);
    }
}
