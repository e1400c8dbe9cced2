package dev.genq.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

@ConfigurationProperties("genq.admin")
public interface AdminConfig {

    /**
     * The bootstrap admin key (GENQ_ADMIN_API_KEY): acts as the person "bootstrap" with the admin
     * role, to make each person's own key. Unset, only people's keys open /admin.
     */
    @Nullable
    String getApiKey();
}
