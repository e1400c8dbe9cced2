package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ./genq run} as a person runs it, in a JVM of its own: killed with {@code kill -9} it leaves
 * its PostgreSQL and Redis behind, and the next start stops them and serves; stopped with SIGTERM
 * (what Ctrl-C sends, as far as the JVM's shutdown goes) it ends in seconds, without an error.
 */
class LocalRunTest {
    /** The embedded servers' fixed ports, besides the API's and the dashboard's. */
    private static final List<Integer> FIXED_PORTS = List.of(15432, 16379, 19000, 19100, 8000);
    private static final Duration START = Duration.ofSeconds(180);

    @Test
    void aStartAfterAKillStopsWhatTheKilledRunLeftAndServesAndAStopIsQuickAndQuiet() throws Exception {
        Assumptions.assumeTrue(FIXED_PORTS.stream().allMatch(LocalRunTest::free),
            "a ./genq run (or another program) holds one of the ports 15432, 16379, 19000, 19100, 8000");
        Path data = Files.createTempDirectory("genq-local-run");
        int port = TestServices.freePort();

        Run first = Run.start(data, port);
        first.awaitRunning();
        long postgres = pidIn(data.resolve("postgres/postmaster.pid"));
        long redis = pidIn(data.resolve("redis.pid"));
        first.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(alive(postgres)).as("kill -9 leaves the embedded PostgreSQL running").isTrue();
        assertThat(alive(redis)).as("and Redis").isTrue();

        Run second = Run.start(data, port);
        second.awaitRunning();
        assertThat(second.output()).contains("stopping the postgres (pid " + postgres + ")").contains("stopping the redis (pid " + redis + ")");
        assertThat(alive(postgres) || alive(redis)).isFalse();
        HttpResponse<String> wallet = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/wallet"))
            .header("Authorization", "Bearer " + LocalGenq.DEMO_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(200);

        long secondPostgres = pidIn(data.resolve("postgres/postmaster.pid"));
        long secondRedis = pidIn(data.resolve("redis.pid"));
        Instant stopping = Instant.now();
        second.process.destroy(); // SIGTERM
        assertThat(second.process.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s").isTrue();
        Duration took = Duration.between(stopping, Instant.now());
        System.out.println("./genq run stopped in " + took.toMillis() + " ms");
        assertThat(second.output().lines().filter(l -> l.contains(" ERROR ")).toList()).as("no ERROR on the way out").isEmpty();
        assertThat(alive(secondPostgres)).as("its PostgreSQL stopped with it").isFalse();
        assertThat(alive(secondRedis)).as("its Redis stopped with it").isFalse();
    }

    /** One {@code LocalGenq} JVM, its output in a file. */
    private record Run(Process process, Path log) {
        static Run start(Path data, int port) throws IOException {
            Path log = Files.createTempFile("genq-local-run", ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LocalGenq.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("GENQ_DATA_DIR", data.toString());
            builder.environment().put("GENQ_PORT", Integer.toString(port));
            return new Run(builder.start(), log);
        }

        void awaitRunning() throws Exception {
            Instant until = Instant.now().plus(START);
            while (!output().contains("genq is running")) {
                assertThat(process.isAlive()).as("the run exited at start:%n%s", output()).isTrue();
                assertThat(Instant.now()).as("not running within %s:%n%s", START, output()).isBefore(until);
                Thread.sleep(200);
            }
        }

        String output() throws IOException {
            return Files.readString(log);
        }
    }

    private static long pidIn(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
    }

    private static boolean alive(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive();
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
