package dev.genq.catalog;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.catalog")
public interface CatalogConfig {

    /** Path of a catalog JSON file; when unset, the built-in catalog of emulated models is used. */
    @Nullable
    String getPath();

    /** How long a quote's price holds. Default 5 minutes: long enough to decide, short enough to reprice. */
    @Bindable(defaultValue = "5m")
    Duration getQuoteTtl();
}
