package dev.genq.devkit.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import redis.embedded.RedisServer;

/** Servers started inside this JVM; each stops when the JVM exits. */
public final class Embedded {
    public static final String S3_ACCESS_KEY = "genq-local";
    public static final String S3_SECRET_KEY = "genq-local-secret";

    private Embedded() {
    }

    /** PostgreSQL from packaged binaries; data under {@code dataDir} survives restarts. */
    public static Postgres postgres(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .start();
        Shutdown.register(pg);
        try (Connection c = pg.getPostgresDatabase().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = 'genq'")) {
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE genq");
            }
        } catch (java.sql.SQLException e) {
            throw new IOException("could not create database genq", e);
        }
        return new Postgres(pg.getJdbcUrl("postgres", "genq"), "postgres", "", "embedded PostgreSQL on port " + pg.getPort());
    }

    public static Redis redis(int port) throws IOException {
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
            .setting("save \"\"").setting("appendonly no").build();
        server.start();
        Shutdown.register(server::stop);
        return new Redis("redis://127.0.0.1:" + port, "embedded Redis on port " + port);
    }

    /** S3Proxy storing objects as files under {@code dataDir}; signatures (and presigned URLs) are checked. */
    public static S3 s3(Path dataDir, int port) throws Exception {
        Files.createDirectories(dataDir);
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString()))
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_ACCESS_KEY, S3_SECRET_KEY)
            .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        Shutdown.register(proxy::stop);
        return new S3("http://127.0.0.1:" + proxy.getPort(), S3_ACCESS_KEY, S3_SECRET_KEY, "embedded S3Proxy on port " + proxy.getPort());
    }
}
