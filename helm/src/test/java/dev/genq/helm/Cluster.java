package dev.genq.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.marcnuri.helm.Helm;
import dev.genq.devkit.emulator.OpenAiEmulator;
import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.devkit.services.Embedded;
import dev.genq.devkit.services.S3Server;
import dev.genq.devkit.services.TestServices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * genq as the chart deploys it, on real containers: the image `./genq image` builds, run with the
 * environment, roles, volumes and probes of the chart's rendered Deployments, beside PostgreSQL,
 * Redis and S3-compatible storage (S3Proxy) in containers of their own; the vendors (emulators) stay
 * in the test, as vendors are outside the cluster. Every container shares the host's network, so each
 * pod listens on a port of its own.
 */
final class Cluster implements AutoCloseable {
    static final String ADMIN_KEY = "cluster-admin-key";
    /** JobRunr threads per worker: on vendor calls that answer after 2 s, one worker runs 4 a second. */
    static final int WORKER_THREADS = 8;
    /** The generic vendor account's cap on tasks running at once, shared by every worker through Redis. */
    static final int VENDOR_CAP = 100;
    static final String OPENAI_KEY = "cluster-openai-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final ProviderEmulator emulator;
    final OpenAiEmulator openai;
    final PGSimpleDataSource db = new PGSimpleDataSource();
    final GenericContainer<?> postgres;
    final GenericContainer<?> redis;
    final GenericContainer<?> s3;
    final List<GenericContainer<?>> workers = new ArrayList<>();
    /** Every genq pod started, by its HTTP port (stopped ones included). */
    final Map<Integer, GenericContainer<?>> pods = new LinkedHashMap<>();
    /** The API pod's port ({@link #replaceApi} moves it). */
    volatile int apiPort;
    private final List<GenericContainer<?>> containers = new ArrayList<>();
    private final Rendered chart;
    private final Map<String, String> secret;
    private final Path volumes;
    private final Podman podman;

    private Cluster(Podman podman) throws Exception {
        this.podman = podman;
        volumes = Files.createTempDirectory("genq-cluster");
        emulator = new ProviderEmulator(TestServices.freePort(), "emulator-key", 300);
        openai = new OpenAiEmulator(TestServices.freePort(), 2_000);
        openai.acceptKey(OPENAI_KEY);
        int pgPort = TestServices.freePort();
        int redisPort = TestServices.freePort();
        int s3Port = TestServices.freePort();
        // SIGINT on a stop: PostgreSQL's fast shutdown, as a restart does it (SIGTERM would wait for every client to leave)
        postgres = start(services().withCreateContainerCmdModifier(cmd -> cmd.withUser("postgres").withStopSignal("SIGINT"))
            .withCommand("sh", "-c", "[ -d /tmp/pg ] || initdb -D /tmp/pg -U postgres --auth=trust >/dev/null; exec postgres -D /tmp/pg -p "
                + pgPort + " -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300")
            .waitingFor(Wait.forLogMessage(".*ready to accept connections.*", 1).withStartupTimeout(Duration.ofMinutes(1))));
        db.setUrl("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres");
        db.setUser("postgres");
        try (Connection c = db.getConnection()) {
            c.createStatement().execute("CREATE DATABASE genq");
        }
        db.setUrl("jdbc:postgresql://127.0.0.1:" + pgPort + "/genq");
        redis = start(services()
            .withCommand("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1)));
        s3 = start(s3Server(s3Port));

        chart = Rendered.of(new Helm(Path.of("genq")).template().withName("genq")
            .set("image.repository", "localhost/genq").set("image.tag", Podman.VERSION)
            .set("config.databaseUrl", "jdbc:postgresql://127.0.0.1:" + pgPort + "/genq")
            .set("config.redisUri", "redis://127.0.0.1:" + redisPort)
            .set("config.s3.endpoint", "http://127.0.0.1:" + s3Port).set("config.s3.bucket", "genq-cluster")
            .set("config.drainGraceSeconds", 20)
            .set("config.extraEnv.GENQ_S3_CREATE_BUCKET", "true")
            .set("config.extraEnv.GENQ_LIMITS_KEY_REQUESTS_PER_SECOND", "100000") // one account drives the whole cluster
            .set("config.extraEnv.GENQ_LIMITS_ACCOUNT_REQUESTS_PER_SECOND", "100000")
            .set("config.extraEnv.GENQ_LIMITS_ACCOUNT_GENERATIONS_IN_FLIGHT", "100000")
            .set("config.extraEnv.GENQ_LIMITS_KEY_GENERATIONS_IN_FLIGHT", "100000")
            .set("config.extraEnv.GENQ_QUEUE_WORKER_COUNT", String.valueOf(WORKER_THREADS))
            // a dead worker's checks come back after this lease; short here, so the kill case ends in CI time
            .set("config.extraEnv.GENQ_WORKER_CHECK_LEASE", "30s")
            .set("catalog", catalog())
            .set("providers.emulator.type", "generic").set("providers.emulator.baseUrl", emulator.baseUrl())
            .set("providers.emulator.apiKeySecretKey", "emulator-api-key")
            .set("providers.emulator.settings.pollInterval", "200ms")
            .set("providers.emulator.settings.maxConcurrency", VENDOR_CAP)
            .set("providers.oa.type", "openai").set("providers.oa.baseUrl", openai.baseUrl())
            .set("providers.oa.apiKeySecretKey", "oa-api-key")
            .set("providers.oa.settings.requestTimeout", "30s"));
        secret = Map.of("database-user", "postgres", "s3-access-key", Embedded.S3_ACCESS_KEY, "s3-secret-key", Embedded.S3_SECRET_KEY,
            "admin-api-key", ADMIN_KEY, "token-secret", "cluster-token-secret-of-at-least-32-characters", "dashboard-password", "cluster-dashboard", "emulator-api-key", emulator.apiKey(),
            "oa-api-key", OPENAI_KEY);
        role("scheduler");
        apiPort = role("api");
    }

    /** PostgreSQL, Redis, S3Proxy and one worker's worth of genq: a scheduler, an api and a worker. */
    static Cluster deploy() throws Exception {
        Cluster cluster = new Cluster(Podman.start());
        cluster.addWorker();
        return cluster;
    }

    GenericContainer<?> addWorker() throws IOException, InterruptedException {
        int port = role("worker");
        workers.add(pods.get(port));
        return pods.get(port);
    }

    /** A new API pod in place of the one at {@link #apiPort}, which has stopped. */
    void replaceApi() throws IOException, InterruptedException {
        apiPort = role("api");
    }

    /** A signal to a container's PID 1 (java for genq's pods): KILL, STOP, CONT, TERM. */
    void signal(GenericContainer<?> container, String signal) {
        docker().killContainerCmd(container.getContainerId()).withSignal(signal).exec();
    }

    /**
     * A pod's ERROR lines, and the causes of their stack traces, in the test's output: an ERROR is
     * genq's own fault, and a failed case should say which.
     */
    private static Consumer<OutputFrame> errorsOf(String role) {
        boolean[] inError = new boolean[1];
        return frame -> {
            String line = frame.getUtf8StringWithoutLineEnding();
            if (Character.isDigit(line.isEmpty() ? ' ' : line.charAt(0))) { // a log line starts with its time
                inError[0] = line.contains(" ERROR ");
            }
            if (inError[0] && !line.startsWith("\tat ") && !line.startsWith("\t...")) { // the line, its exceptions and causes
                System.out.println("[" + role + " pod] " + line);
            }
        };
    }

    /** Stops a container as an outage would (its files stay), and {@link #resume} starts it again. */
    void halt(GenericContainer<?> container) {
        stop(container, 10);
    }

    /** SIGTERM, and SIGKILL if it has not exited within {@code graceSeconds}, as a pod's termination grace does. */
    void stop(GenericContainer<?> container, int graceSeconds) {
        docker().stopContainerCmd(container.getContainerId()).withTimeout(graceSeconds).exec();
    }

    void resume(GenericContainer<?> container) {
        docker().startContainerCmd(container.getContainerId()).exec();
    }

    boolean running(GenericContainer<?> container) {
        return Boolean.TRUE.equals(docker().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning());
    }

    Long exitCode(GenericContainer<?> container) {
        return docker().inspectContainerCmd(container.getContainerId()).exec().getState().getExitCodeLong();
    }

    /** How many of these generations have not ended yet. */
    long active(List<String> ids) throws java.sql.SQLException {
        try (Connection c = db.getConnection(); var q = c.prepareStatement(
            "SELECT count(*) FROM generation WHERE id = ANY (?::uuid[]) AND status IN ('QUEUED', 'RUNNING')")) {
            q.setArray(1, c.createArrayOf("text", List.copyOf(ids).toArray()));
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    DockerClient docker() {
        return postgres.getDockerClient();
    }

    /** The API answer to a call, asserting its status. */
    JsonNode call(String method, String path, String key, String body, int expected) throws Exception {
        HttpResponse<String> r = send(method, path, key, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        return send(method, path, key, body, null);
    }

    HttpResponse<String> send(String method, String path, String key, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
            .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The built-in catalog and a model on the OpenAI account (a vendor that answers with the finished image). */
    private static String catalog() throws IOException {
        ObjectNode catalog = (ObjectNode) JSON.readTree(Podman.REPO.resolve("storage/src/main/resources/catalog/default.json").toFile());
        ObjectNode model = ((ArrayNode) catalog.get("models")).addObject().put("id", "oa-image").put("kind", "image")
            .put("description", "An image from the OpenAI account").put("coinsPerUnit", 10);
        model.putObject("inputs").putObject("prompt").put("type", "string").put("required", true);
        model.putArray("routes").addObject().put("provider", "oa").put("model", "gpt-image-1");
        return JSON.writeValueAsString(catalog);
    }

    /** One pod of a role, as its rendered Deployment says: image, environment (secrets from {@code secret}), volumes, readiness. */
    private int role(String role) throws IOException, InterruptedException {
        Container spec = chart.container(role);
        Map<String, String> env = new HashMap<>(chart.configMap("genq"));
        for (EnvVar var : spec.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (secret.containsKey(var.getValueFrom().getSecretKeyRef().getKey())) {
                env.put(var.getName(), secret.get(var.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
        int port = TestServices.freePort();
        env.put("GENQ_PORT", String.valueOf(port)); // host network: a port per pod
        env.put("GENQ_DASHBOARD_PORT", String.valueOf(TestServices.freePort()));
        GenericContainer<?> pod = new GenericContainer<>(DockerImageName.parse(spec.getImage())).withNetworkMode("host").withEnv(env)
            .withLogConsumer(errorsOf(role))
            .waitingFor(Wait.forLogMessage(".*Startup completed.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        for (VolumeMount mount : spec.getVolumeMounts()) {
            Volume volume = chart.deployment(role).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            if (volume.getConfigMap() != null) { // a ConfigMap's keys as files, as the kubelet mounts them
                Path dir = Files.createDirectories(volumes.resolve(volume.getConfigMap().getName()));
                for (Map.Entry<String, String> file : chart.configMap(volume.getConfigMap().getName()).entrySet()) {
                    Files.writeString(dir.resolve(file.getKey()), file.getValue());
                }
                pod.withFileSystemBind(dir.toString(), mount.getMountPath(), BindMode.READ_ONLY);
            }
        }
        start(pod);
        pods.put(port, pod);
        awaitReady(port, spec.getReadinessProbe().getHttpGet().getPath());
        return port;
    }

    private static GenericContainer<?> services() {
        return new GenericContainer<>(DockerImageName.parse("localhost/genq-services:" + Podman.VERSION)).withNetworkMode("host");
    }

    /** S3Proxy, run by the services image's Java from this test's own classpath (bound read-only at the same paths). */
    private static GenericContainer<?> s3Server(int port) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Set<Path> roots = new LinkedHashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            Path root = path.startsWith(Podman.REPO) ? Podman.REPO : repositoryOf(path);
            assertThat(root).as("a classpath entry in this repository or a Maven repository: %s", path).isNotNull();
            roots.add(root);
        }
        GenericContainer<?> server = services()
            .withCommand("java", "-Xmx256m", "-cp", classpath, S3Server.class.getName(), "/tmp/s3", String.valueOf(port))
            .waitingFor(Wait.forLogMessage(".*" + S3Server.READY + ".*", 1).withStartupTimeout(Duration.ofMinutes(1)));
        roots.forEach(root -> server.withFileSystemBind(root.toString(), root.toString(), BindMode.READ_ONLY));
        return server;
    }

    private static Path repositoryOf(Path jar) {
        for (Path p = jar; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("repository")) {
                return p;
            }
        }
        return null;
    }

    private GenericContainer<?> start(GenericContainer<?> container) {
        containers.add(container);
        container.start();
        return container;
    }

    static void awaitReady(int port, String path) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no pod on port " + port + " became ready at " + path);
    }

    @Override
    public void close() {
        containers.reversed().forEach(GenericContainer::stop);
        emulator.close();
        openai.close();
        podman.close();
    }
}
