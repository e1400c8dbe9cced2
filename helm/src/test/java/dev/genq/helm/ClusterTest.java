package dev.genq.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import dev.genq.devkit.Tools;
import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.devkit.services.Embedded;
import dev.genq.devkit.services.S3;
import dev.genq.devkit.services.TestServices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * genq as the chart deploys it, on real containers: the image `./genq image` builds, run with the
 * environment, roles and probes of the chart's rendered Deployments (1 api, 3 workers, 1
 * scheduler), beside PostgreSQL and Redis in containers of their own, S3 (S3Proxy) and the provider
 * emulator. Testcontainers drives podman through its Docker API (the surefire execution of this
 * class points DOCKER_HOST at a socket this test serves when nothing serves it yet). Every container
 * shares the host's network, so each role listens on a port of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("genq.version", "0.1.0-SNAPSHOT");
    private static final String ADMIN_KEY = "cluster-admin-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<GenericContainer<?>> containers = new ArrayList<>();
    private final List<GenericContainer<?>> workers = new ArrayList<>();
    private Process podmanService;
    private ProviderEmulator emulator;
    private S3 s3;
    private int apiPort;

    @BeforeAll
    void deploy() throws Exception {
        Path podman = Tools.require("podman", "podman");
        servePodmanApi(podman);
        buildImages();
        s3 = Embedded.s3(Files.createTempDirectory("genq-cluster-s3"), TestServices.freePort());
        emulator = new ProviderEmulator(TestServices.freePort(), "emulator-key", 300);
        int pgPort = TestServices.freePort();
        int redisPort = TestServices.freePort();
        start(new GenericContainer<>(image("genq-services")).withNetworkMode("host")
            .withCreateContainerCmdModifier(cmd -> cmd.withUser("postgres"))
            .withCommand("sh", "-c", "initdb -D /tmp/pg -U postgres --auth=trust >/dev/null && exec postgres -D /tmp/pg -p " + pgPort
                + " -k /tmp -c listen_addresses=127.0.0.1")
            .waitingFor(Wait.forLogMessage(".*ready to accept connections.*", 1).withStartupTimeout(Duration.ofMinutes(1))));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE genq");
        }
        start(new GenericContainer<>(image("genq-services")).withNetworkMode("host")
            .withCommand("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1)));

        Rendered chart = Rendered.of(new Helm(Path.of("genq")).template().withName("genq")
            .set("image.repository", "localhost/genq").set("image.tag", VERSION)
            .set("config.databaseUrl", "jdbc:postgresql://127.0.0.1:" + pgPort + "/genq")
            .set("config.redisUri", "redis://127.0.0.1:" + redisPort)
            .set("config.s3.endpoint", s3.endpoint()).set("config.s3.bucket", "genq-cluster")
            .set("config.drainGraceSeconds", 20)
            .set("config.extraEnv.GENQ_S3_CREATE_BUCKET", "true")
            .set("providers.emulator.type", "generic").set("providers.emulator.baseUrl", emulator.baseUrl())
            .set("providers.emulator.apiKeySecretKey", "emulator-api-key")
            .set("providers.emulator.settings.pollInterval", "200ms"));
        Map<String, String> secret = Map.of("database-user", "postgres", "s3-access-key", s3.accessKey(), "s3-secret-key", s3.secretKey(),
            "admin-api-key", ADMIN_KEY, "dashboard-password", "cluster-dashboard", "emulator-api-key", emulator.apiKey());

        apiPort = TestServices.freePort();
        role(chart, "scheduler", TestServices.freePort(), secret);
        role(chart, "api", apiPort, secret);
        for (int i = 0; i < 3; i++) {
            workers.add(role(chart, "worker", TestServices.freePort(), secret));
        }
    }

    @AfterAll
    void tearDown() {
        containers.reversed().forEach(GenericContainer::stop);
        if (emulator != null) {
            emulator.close();
        }
        if (podmanService != null) {
            podmanService.destroy();
        }
    }

    @Test
    @Order(1)
    void aGenerationRunsEndToEndOnTheChartsDeploymentsAndItsSignedUrlDownloads() throws Exception {
        JsonNode account = call("POST", "/admin/v1/accounts", ADMIN_KEY, "{\"name\":\"cluster\",\"initialCoins\":100}", 201);
        String key = account.path("apiKey").asText();
        String id = call("POST", "/v1/generations", key, "{\"model\":\"emu-image\",\"inputs\":{\"prompt\":\"a fox on a cluster\"}}", 202)
            .path("id").asText();

        JsonNode done = null;
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            done = call("GET", "/v1/generations/" + id, key, null, 200);
            if (!done.path("status").asText().matches("QUEUED|RUNNING")) {
                break;
            }
            Thread.sleep(200);
        }

        assertThat(done.path("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
        HttpResponse<byte[]> file = HTTP.send(HttpRequest.newBuilder(URI.create(done.path("outputs").get(0).path("url").asText())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(call("GET", "/v1/wallet", key, null, 200).path("balanceCoins").asLong()).isEqualTo(90);
    }

    @Test
    @Order(2)
    void aWorkerStoppedUnderLoadDrainsExitsZeroAndNothingIsLostOrSubmittedTwice() throws Exception {
        GenericContainer<?> stopped = workers.getFirst();
        Duration[] drained = new Duration[1];
        Load load = underLoad("sigterm", 900, 500, () -> {
            Instant asked = Instant.now(); // the stop comes while submits go on and hundreds of 2 s vendor tasks run
            stopped.getDockerClient().stopContainerCmd(stopped.getContainerId()).withTimeout(60).exec();
            drained[0] = Duration.between(asked, Instant.now());
        });
        Long exit = stopped.getDockerClient().inspectContainerCmd(stopped.getContainerId()).exec().getState().getExitCodeLong();
        System.out.println("ClusterTest: a worker stopped after 500 of 900 generations were submitted drained in " + drained[0].toMillis() + " ms");

        load.awaitAllSucceeded(Instant.now().plusSeconds(180), id -> assertThat(emulator.submits(id)).as("vendor submits of %s", id).isEqualTo(1));
        assertThat(exit).as("a drained worker exits 0").isZero();
        assertThat(drained[0]).as("within the drain grace").isLessThan(Duration.ofSeconds(35));
        load.assertChargedOnce();
    }

    /** Generations submitted by 16 clients at once, of 2 s vendor tasks, with {@code strike} done once {@code strikeAfter} are in. */
    private Load underLoad(String name, int total, int strikeAfter, Strike strike) throws Exception {
        String key = call("POST", "/admin/v1/accounts", ADMIN_KEY, "{\"name\":\"" + name + "\",\"initialCoins\":100000}", 201)
            .path("apiKey").asText();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<?>> submits = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String prompt = "[latency=2000] " + name + " " + i;
                submits.add(clients.submit(() -> ids.add(call("POST", "/v1/generations", key,
                    "{\"model\":\"emu-image\",\"inputs\":{\"prompt\":\"" + prompt + "\"}}", 202).path("id").asText())));
            }
            while (ids.size() < strikeAfter) {
                Thread.sleep(20);
            }
            strike.run();
            for (Future<?> submit : submits) {
                submit.get();
            }
        }
        return new Load(key, List.copyOf(ids));
    }

    @FunctionalInterface
    private interface Strike {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface PerGeneration {
        void check(String id) throws Exception;
    }

    private final class Load {
        private final String key;
        private final List<String> ids;

        Load(String key, List<String> ids) {
            this.key = key;
            this.ids = ids;
        }

        /** Every generation ends SUCCEEDED by {@code until}, and passes {@code check}. */
        void awaitAllSucceeded(Instant until, PerGeneration check) throws Exception {
            for (String id : ids) {
                JsonNode g = call("GET", "/v1/generations/" + id, key, null, 200);
                while (g.path("status").asText().matches("QUEUED|RUNNING") && Instant.now().isBefore(until)) {
                    Thread.sleep(100);
                    g = call("GET", "/v1/generations/" + id, key, null, 200);
                }
                assertThat(g.path("status").asText()).as("%s", g).isEqualTo("SUCCEEDED");
                check.check(id);
            }
        }

        void assertChargedOnce() throws Exception {
            assertThat(call("GET", "/v1/wallet", key, null, 200).path("balanceCoins").asLong()).isEqualTo(100_000 - 10L * ids.size());
        }
    }

    /** One pod of a role, as its rendered Deployment says: image, environment (secrets resolved from {@code secret}), readiness. */
    private GenericContainer<?> role(Rendered chart, String role, int port, Map<String, String> secret) {
        Container spec = chart.container(role);
        Map<String, String> env = new HashMap<>(chart.configMap());
        for (EnvVar var : spec.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (secret.containsKey(var.getValueFrom().getSecretKeyRef().getKey())) {
                env.put(var.getName(), secret.get(var.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
        env.put("GENQ_PORT", String.valueOf(port)); // host network: a port per pod
        env.put("GENQ_DASHBOARD_PORT", String.valueOf(TestServices.freePort()));
        String readiness = spec.getReadinessProbe().getHttpGet().getPath();
        GenericContainer<?> pod = new GenericContainer<>(DockerImageName.parse(spec.getImage())).withNetworkMode("host").withEnv(env)
            .waitingFor(Wait.forLogMessage(".*Startup completed.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        start(pod);
        awaitReady(port, readiness);
        return pod;
    }

    private void start(GenericContainer<?> container) {
        containers.add(container);
        container.start();
    }

    private static void awaitReady(int port, String path) {
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(200);
        }
        throw new AssertionError("no pod on port " + port + " became ready at " + path);
    }

    private JsonNode call(String method, String path, String key, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
            .header("Authorization", "Bearer " + key).header("X-Genq-Actor", "cluster-test");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    private static DockerImageName image(String name) {
        return DockerImageName.parse("localhost/" + name + ":" + VERSION);
    }

    /** Serves podman's Docker API on the socket DOCKER_HOST names, unless something already does. */
    private void servePodmanApi(Path podman) throws Exception {
        String host = System.getenv("DOCKER_HOST");
        assertThat(host).as("the surefire execution of ClusterTest sets DOCKER_HOST").startsWith("unix://");
        Path socket = Path.of(host.substring("unix://".length()));
        if (Files.exists(socket) && podman("info") == 0) {
            return;
        }
        Files.deleteIfExists(socket);
        ProcessBuilder service = new ProcessBuilder(podman.toString(), "system", "service", "--time=0", host)
            .redirectErrorStream(true).redirectOutput(socket.resolveSibling("podman-service.log").toFile());
        service.environment().put("CONTAINERS_CONF", REPO.resolve("server/container/containers.conf").toString());
        podmanService = service.start();
        Instant until = Instant.now().plusSeconds(20);
        while (!Files.exists(socket)) {
            assertThat(Instant.now()).as("podman serves its API on %s", socket).isBefore(until);
            sleep(100);
        }
    }

    /**
     * The genq image, built from this build's jars every time (a few seconds on a cached base), and
     * the services image, built when this machine has not got it yet.
     */
    private static void buildImages() throws Exception {
        for (String[] image : new String[][] {{"genq", ""}, {"genq-services", "services"}}) {
            if (image[0].equals("genq") || podman("image", "exists", "localhost/" + image[0] + ":" + VERSION) != 0) {
                ProcessBuilder build = new ProcessBuilder(REPO.resolve("server/container/build.sh").toString(), image[1])
                    .redirectErrorStream(true).inheritIO();
                build.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process p = build.start();
                assertThat(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0).as("build of %s", image[0]).isTrue();
            }
        }
    }

    private static int podman(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CONTAINERS_CONF", REPO.resolve("server/container/containers.conf").toString());
        Process p = pb.start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
