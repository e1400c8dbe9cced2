package dev.genq.devkit.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import redis.embedded.core.ExecutableProvider;

/** Servers started from this JVM; each stops when the JVM exits, after what was registered with {@link Shutdown} later. */
public final class Embedded {
    public static final String S3_ACCESS_KEY = "genq-local";
    public static final String S3_SECRET_KEY = "genq-local-secret";

    private Embedded() {
    }

    /**
     * PostgreSQL from packaged binaries; data under {@code dataDir} survives restarts. A server an
     * earlier, killed process left on that data is stopped first (PostgreSQL's own postmaster.pid
     * names it). It stops with {@link Shutdown}, after what uses it, not in a hook of its own.
     */
    public static Postgres postgres(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        Leftovers.stop(dataDir.resolve("postmaster.pid"), "postgres");
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPort(port)
            .start();
        Optional<ProcessHandle> postmaster = Leftovers.recorded(dataDir.resolve("postmaster.pid"));
        Shutdown.register(() -> {
            pg.close();
            postmaster.ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join()); // stopped, not just asked to
        });
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
        return redis(port, null);
    }

    /**
     * redis-server (the binary the embedded-redis package ships), keeping nothing on disk. Run as a
     * plain child process, so it stops with {@link Shutdown} after what uses it (the package's own
     * runner stops it in a JVM hook of its own, while genq may still be writing). With a
     * {@code pidFile}, one an earlier, killed run left running is stopped first, and this one is
     * recorded there.
     */
    public static Redis redis(int port, Path pidFile) throws IOException {
        if (pidFile != null) {
            Leftovers.stop(pidFile, "redis");
        }
        File binary = ExecutableProvider.newJarResourceProvider().get();
        Process server = new ProcessBuilder(binary.getAbsolutePath(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Shutdown.register(() -> {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        });
        if (pidFile != null) {
            Leftovers.record(pidFile, server);
        }
        awaitPong(server, port);
        return new Redis("redis://127.0.0.1:" + port, "embedded Redis on port " + port);
    }

    private static void awaitPong(Process server, int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("redis-server on port " + port + " exited at start (" + server.exitValue()
                    + "); is the port taken by another program?");
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = new byte[5];
                if (socket.getInputStream().readNBytes(answer, 0, 5) == 5 && new String(answer, StandardCharsets.US_ASCII).equals("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while redis-server started", e);
            }
        }
        throw new IOException("redis-server on port " + port + " did not answer within 20 s");
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
