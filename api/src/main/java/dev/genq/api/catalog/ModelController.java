package dev.genq.api.catalog;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.InputField;
import dev.genq.catalog.ModelKind;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

@Controller("/v1/models")
@Requires(env = "api")
class ModelController {
    private final Catalog catalog;

    ModelController(Catalog catalog) {
        this.catalog = catalog;
    }

    @Serdeable
    record ModelResponse(String id, ModelKind kind, @Nullable String description, long coinsPerUnit,
                         @Nullable String unitsFrom, Map<String, InputField> inputs) {
    }

    @Serdeable
    record ModelList(List<ModelResponse> data) {
    }

    /** Provider routes stay internal: clients see what they can ask for and what it costs. */
    @Get
    ModelList list() {
        return new ModelList(catalog.models().stream()
            .map(m -> new ModelResponse(m.id(), m.kind(), m.description(), m.coinsPerUnit(), m.unitsFrom(), m.inputs()))
            .toList());
    }
}
