package dev.genq.api.catalog;

import dev.genq.account.Scope;
import dev.genq.api.auth.Scoped;
import dev.genq.catalog.Catalog;
import dev.genq.catalog.InputField;
import dev.genq.catalog.ModelKind;
import dev.genq.catalog.PriceList;
import dev.genq.http.ErrorResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

@ErrorResponses
@Controller("/v1/models")
class ModelController {
    private final Catalog catalog;
    private final PriceList prices;

    ModelController(Catalog catalog, PriceList prices) {
        this.catalog = catalog;
        this.prices = prices;
    }

    /**
     * A model as clients see it, with its terms: whether it can be cancelled once its vendor started
     * it, and what a failure charges by error code (any other failure is refunded in full).
     */
    @Serdeable
    record ModelResponse(String id, ModelKind kind, @Nullable String description, long coinsPerUnit, int priceVersion,
                         @Nullable String unitsFrom, Map<String, InputField> inputs, boolean cancelAfterStart,
                         Map<String, Object> failureFees) {
    }

    @Serdeable
    record ModelList(List<ModelResponse> data) {
    }

    /** Provider routes stay internal: clients see what they can ask for now and what it costs now. */
    @Get
    @Scoped(Scope.READ)
    ModelList list() {
        return new ModelList(catalog.models().stream()
            .map(m -> Map.entry(m, prices.current(m)))
            .filter(e -> e.getValue().enabled())
            .map(e -> new ModelResponse(e.getKey().id(), e.getKey().kind(), e.getKey().description(), e.getValue().coinsPerUnit(),
                e.getValue().version(), e.getKey().unitsFrom(), e.getKey().inputs(), e.getKey().cancellableAfterStart(),
                e.getKey().failureFees()))
            .toList());
    }
}
