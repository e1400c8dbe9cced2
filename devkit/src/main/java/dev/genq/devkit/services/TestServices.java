package dev.genq.devkit.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The servers a test JVM talks to, resolved once per JVM: {@code GENQ_TEST_DATABASE_URL},
 * {@code GENQ_TEST_REDIS_URI}, {@code GENQ_TEST_S3_ENDPOINT} when set; else the machine's services
 * on their standard ports (each test JVM gets a database of its own there); else Testcontainers
 * when Docker answers; else embedded servers.
 */
public final class TestServices {
    private static final Logger LOG = LoggerFactory.getLogger(TestServices.class);
    private static Postgres postgres;
    private static Redis redis;
    private static S3 s3;

    private TestServices() {
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = resolvePostgres();
            LOG.info("tests use {}", postgres.origin());
        }
        return postgres;
    }

    /** One more database, on the server {@link #postgres()} uses, dropped at exit: for programs that need several. */
    public static synchronized Postgres anotherDatabase() {
        Postgres first = postgres();
        String server = first.jdbcUrl().substring(0, first.jdbcUrl().lastIndexOf('/') + 1);
        try {
            return freshDatabase(server, first.user(), first.password(), first.origin());
        } catch (SQLException e) {
            throw new IllegalStateException("could not create another database on " + server, e);
        }
    }

    public static synchronized Redis redis() {
        if (redis == null) {
            redis = resolveRedis();
            LOG.info("tests use {}", redis.origin());
        }
        return redis;
    }

    public static S3 s3() {
        return s3(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * The S3 server; an embedded one keeps its objects in a directory of its own under
     * {@code storeUnder}, deleted at exit. Only the first call of a JVM chooses.
     */
    public static synchronized S3 s3(Path storeUnder) {
        if (s3 == null) {
            s3 = resolveS3(storeUnder);
            LOG.info("tests use {}", s3.origin());
        }
        return s3;
    }

    private static Postgres resolvePostgres() {
        String url = System.getenv("GENQ_TEST_DATABASE_URL");
        if (url != null) {
            return new Postgres(url, env("GENQ_TEST_DATABASE_USER", "postgres"), env("GENQ_TEST_DATABASE_PASSWORD", ""), "PostgreSQL from GENQ_TEST_DATABASE_URL");
        }
        if (listening(5432)) {
            try {
                return freshDatabase("jdbc:postgresql://127.0.0.1:5432/", "postgres", "", "the machine's PostgreSQL");
            } catch (SQLException e) {
                LOG.info("the machine's PostgreSQL refused ({}); trying the next option", e.getMessage());
            }
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            Shutdown.register(container::stop);
            return new Postgres(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "Testcontainers PostgreSQL");
        }
        try {
            return Embedded.postgres(Files.createTempDirectory("genq-test-pg"), 0);
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL could be had for tests", e);
        }
    }

    private static Redis resolveRedis() {
        String uri = System.getenv("GENQ_TEST_REDIS_URI");
        if (uri != null) {
            return new Redis(uri, "Redis from GENQ_TEST_REDIS_URI");
        }
        if (listening(6379)) {
            return new Redis("redis://127.0.0.1:6379", "the machine's Redis");
        }
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            container.start();
            Shutdown.register(container::stop);
            return new Redis("redis://" + container.getHost() + ":" + container.getMappedPort(6379), "Testcontainers Redis");
        }
        try {
            return Embedded.redis(freePort());
        } catch (IOException e) {
            throw new IllegalStateException("no Redis could be had for tests", e);
        }
    }

    private static S3 resolveS3(Path storeUnder) {
        String endpoint = System.getenv("GENQ_TEST_S3_ENDPOINT");
        if (endpoint != null) {
            return new S3(endpoint, env("GENQ_TEST_S3_ACCESS_KEY", ""), env("GENQ_TEST_S3_SECRET_KEY", ""), "S3 from GENQ_TEST_S3_ENDPOINT");
        }
        try {
            Path store = Files.createTempDirectory(storeUnder, "genq-test-s3");
            Shutdown.register(() -> deleteTree(store)); // registered first, so it runs after S3Proxy has stopped
            return Embedded.s3(store, freePort());
        } catch (Exception e) {
            throw new IllegalStateException("no S3-compatible server could be had for tests", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A database of this JVM's own on a shared server, so test runs never see each other's rows. */
    private static Postgres freshDatabase(String serverUrl, String user, String password, String origin) throws SQLException {
        String name = "genq_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, password)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        Shutdown.register(() -> {
            try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, password)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        });
        return new Postgres(serverUrl + name, user, password, origin + " (database " + name + ")");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
