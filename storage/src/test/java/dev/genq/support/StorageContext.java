package dev.genq.support;

import dev.genq.devkit.services.Postgres;
import dev.genq.devkit.services.Shutdown;
import dev.genq.devkit.services.TestServices;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;

/** The storage module's beans on the real PostgreSQL, Redis and S3-compatible server of this test JVM, no role started. */
public final class StorageContext {
    /** S3's smallest part, so multipart uploads show with small test objects. */
    public static final int PART_SIZE_BYTES = 5 * 1024 * 1024;
    public static final long MAX_OBJECT_BYTES = 24L * 1024 * 1024;
    private static ApplicationContext context;

    private StorageContext() {
    }

    public static synchronized ApplicationContext get() {
        if (context == null) {
            context = ApplicationContext.builder().properties(properties()).start();
            Shutdown.register(context);
        }
        return context;
    }

    /** The properties that put genq's beans on this JVM's services; a role's test adds its own and starts a context of its own. */
    public static Map<String, Object> properties() {
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
        dev.genq.devkit.services.S3 s3 = TestServices.s3();
        p.put("genq.s3.endpoint", s3.endpoint());
        p.put("genq.s3.access-key", s3.accessKey());
        p.put("genq.s3.secret-key", s3.secretKey());
        p.put("genq.s3.bucket", "genq-storage-test");
        p.put("genq.s3.create-bucket", true);
        p.put("genq.s3.part-size-bytes", PART_SIZE_BYTES);
        p.put("genq.s3.max-object-bytes", MAX_OBJECT_BYTES);
        return p;
    }
}
