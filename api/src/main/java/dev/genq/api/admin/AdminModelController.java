package dev.genq.api.admin;

import dev.genq.api.auth.AdminAccess;
import dev.genq.api.auth.AdminCaller;
import dev.genq.api.idempotency.IdempotentRequests;
import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.catalog.PriceList;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** The price list for operators: every model with its price in force, and new price versions. */
@ErrorResponses
@Controller("/admin/v1/models")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminModelController {
    private final Catalog catalog;
    private final PriceList prices;
    private final IdempotentRequests idempotent;

    AdminModelController(Catalog catalog, PriceList prices, IdempotentRequests idempotent) {
        this.catalog = catalog;
        this.prices = prices;
        this.idempotent = idempotent;
    }

    @Serdeable
    record PriceRequest(@Nullable Long coinsPerUnit, @Nullable Boolean enabled, @Nullable String reason) {
    }

    @Serdeable
    record ModelPriceResponse(String model, int version, long coinsPerUnit, boolean enabled) {
    }

    @Get
    @AdminAccess(AdminRole.SUPPORT)
    List<ModelPriceResponse> list() {
        return catalog.models().stream().map(this::priceOf).toList();
    }

    /**
     * Appends a price version (a new price, or the model switched off or on). Quotes already given
     * keep their price until they expire.
     */
    @ApiResponse(responseCode = "201", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ModelPriceResponse.class)))
    @Post("/{id}/prices")
    @AdminAccess(AdminRole.ADMIN)
    HttpResponse<String> change(@PathVariable String id, @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin, @Body PriceRequest body) {
        String who = admin.person();
        String reason = Fields.require(body.reason(), "reason");
        Model model = catalog.model(id);
        PriceList.Price now = prices.current(model);
        long coins = body.coinsPerUnit() == null ? now.coinsPerUnit() : body.coinsPerUnit();
        boolean enabled = body.enabled() == null ? now.enabled() : body.enabled();
        if (body.coinsPerUnit() == null && body.enabled() == null) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "give 'coinsPerUnit', 'enabled' or both");
        }
        return idempotent.respond("admin", idempotencyKey, "POST /admin/v1/models/" + id + "/prices", body, () -> {
            prices.change(model, coins, enabled, who, reason);
            return new IdempotentRequests.Result(201, priceOf(model));
        });
    }

    private ModelPriceResponse priceOf(Model model) {
        PriceList.Price p = prices.current(model);
        return new ModelPriceResponse(model.id(), p.version(), p.coinsPerUnit(), p.enabled());
    }
}
