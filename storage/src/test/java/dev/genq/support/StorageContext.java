package dev.genq.support;

import dev.genq.devkit.services.Postgres;
import dev.genq.devkit.services.Shutdown;
import dev.genq.devkit.services.TestServices;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;

/** The storage module's beans on the real PostgreSQL and Redis of this test JVM, no role started. */
public final class StorageContext {
    private static ApplicationContext context;

    private StorageContext() {
    }

    public static synchronized ApplicationContext get() {
        if (context == null) {
            Postgres pg = TestServices.postgres();
            Map<String, Object> p = new HashMap<>();
            p.put("datasources.default.url", pg.jdbcUrl());
            p.put("datasources.default.username", pg.user());
            p.put("datasources.default.password", pg.password());
            p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
            p.put("datasources.default.maximum-pool-size", 40);
            p.put("datasources.default.dialect", "POSTGRES");
            p.put("flyway.datasources.default.enabled", true);
            p.put("genq.redis.uri", TestServices.redis().uri());
            p.put("genq.s3.endpoint", "http://127.0.0.1:1");
            context = ApplicationContext.builder().properties(p).start();
            Shutdown.register(context);
        }
        return context;
    }
}
