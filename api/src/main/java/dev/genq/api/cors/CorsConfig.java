package dev.genq.api.cors;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

@ConfigurationProperties("genq.cors")
public interface CorsConfig {

    /**
     * Origins whose pages may call /v1 from a browser, exactly as the browser sends them
     * ({@code https://app.example.com}; comma-separated in GENQ_CORS_ALLOWED_ORIGINS). Default none:
     * no cross-origin access until a site is named. There is no wildcard.
     */
    @Bindable(defaultValue = "")
    List<String> getAllowedOrigins();

    /** How long a browser may cache a preflight's answer. Default 10 min. */
    @Bindable(defaultValue = "10m")
    Duration getMaxAge();
}
