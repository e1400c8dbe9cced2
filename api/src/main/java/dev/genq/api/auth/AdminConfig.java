package dev.genq.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

@ConfigurationProperties("genq.admin")
public interface AdminConfig {

    /** The admin API key (GENQ_ADMIN_API_KEY). Unset disables the admin API: no default key exists to leak. */
    @Nullable
    String getApiKey();
}
