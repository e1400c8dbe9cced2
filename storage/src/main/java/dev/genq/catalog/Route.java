package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.util.Map;

/**
 * One way to run a model: a provider account (credentials and HTTP timeouts live with the account,
 * in configuration or secrets, never in the catalog), the model's name at that vendor, how long a
 * task may take there, and adapter options (the generic adapter's field paths, say).
 *
 * @param provider    the provider account, as named under {@code genq.providers}
 * @param model       the vendor's name for the model; default: the catalog model's id
 * @param deadline    how long one task may take on this route; default: the account's deadline
 * @param options     adapter-specific settings; default: none
 */
@Serdeable
public record Route(String provider, @Nullable String model, @Nullable Duration deadline,
                    @Nullable Map<String, Object> options) {

    public Route {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** The route's name in health reports and metrics: {@code <catalog model>/<provider account>}. */
    public String id(String catalogModel) {
        return catalogModel + "/" + provider;
    }

    /** The vendor's name for the model on this route. */
    public String vendorModel(String catalogModel) {
        return model == null ? catalogModel : model;
    }
}
