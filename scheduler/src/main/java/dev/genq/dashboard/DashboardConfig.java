package dev.genq.dashboard;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

@ConfigurationProperties("genq.dashboard")
public interface DashboardConfig {

    /** Serve the dashboard at all. Default true on the scheduler role. */
    @Bindable(defaultValue = "true")
    boolean isEnabled();

    /** Port of the dashboard. Default 8000, JobRunr's usual one. */
    @Bindable(defaultValue = "8000")
    int getPort();

    /** Basic-auth user. Default admin. */
    @Bindable(defaultValue = "admin")
    String getUsername();

    /** Basic-auth password (GENQ_DASHBOARD_PASSWORD). Unset refuses to start the dashboard: job arguments are private. */
    @Nullable
    String getPassword();
}
