package dev.genq.dashboard;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.jobrunr.dashboard.JobRunrDashboardWebServer;
import org.jobrunr.dashboard.JobRunrDashboardWebServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Context
@Requires(property = "genq.dashboard.enabled", notEquals = "false")
class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private final JobRunrDashboardWebServer server;

    Dashboard(StorageProvider storage, JsonMapper jsonMapper, DashboardConfig config) {
        if (config.getPassword() == null || config.getPassword().isBlank()) {
            throw new IllegalStateException("set GENQ_DASHBOARD_PASSWORD (genq.dashboard.password) or disable the dashboard");
        }
        server = new JobRunrDashboardWebServer(storage, jsonMapper, JobRunrDashboardWebServerConfiguration
            .usingStandardDashboardConfiguration()
            .andPort(config.getPort())
            .andBasicAuthentication(config.getUsername(), config.getPassword())
            .andAllowAnonymousDataUsage(false));
        server.start();
        LOG.info("JobRunr dashboard on port {}", config.getPort());
    }

    @PreDestroy
    void stop() {
        server.stop();
    }
}
