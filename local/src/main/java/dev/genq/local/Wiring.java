package dev.genq.local;

import dev.genq.devkit.services.Postgres;
import dev.genq.devkit.services.Redis;
import dev.genq.devkit.services.S3;
import java.util.HashMap;
import java.util.Map;

/** The properties that point genq at a set of servers; shared by the local launcher and the tests. */
public record Wiring(Postgres postgres, Redis redis, S3 s3, String emulatorUrl, String emulatorKey,
                     String adminKey, int httpPort, int dashboardPort, String dashboardPassword) {
    /** The emulator signs its webhooks with this; genq verifies them (see ProviderWebhook). */
    public static final String EMULATOR_WEBHOOK_SECRET = "emulator-webhook-secret";

    public Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", postgres.jdbcUrl());
        p.put("datasources.default.username", postgres.user());
        p.put("datasources.default.password", postgres.password());
        p.put("genq.redis.uri", redis.uri());
        p.put("genq.s3.endpoint", s3.endpoint());
        p.put("genq.s3.access-key", s3.accessKey());
        p.put("genq.s3.secret-key", s3.secretKey());
        p.put("genq.s3.create-bucket", true);
        p.put("genq.providers.emulator.base-url", emulatorUrl);
        p.put("genq.providers.emulator.api-key", emulatorKey);
        p.put("genq.providers.emulator.poll-interval", "200ms");
        p.put("genq.providers.emulator.webhook-poll-interval", "5s");
        p.put("genq.providers.emulator.webhook-secret", EMULATOR_WEBHOOK_SECRET);
        p.put("genq.worker.webhook-base-url", "http://127.0.0.1:" + httpPort);
        p.put("genq.admin.api-key", adminKey);
        p.put("micronaut.server.port", httpPort);
        p.put("genq.dashboard.port", dashboardPort);
        p.put("genq.dashboard.password", dashboardPassword);
        return p;
    }
}
