package dev.genq.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.devkit.Tools;
import dev.genq.devkit.services.TestServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;

/**
 * genq deployed as its chart says ({@link Cluster}: the rendered Deployments on real containers,
 * through Testcontainers over podman), scaled out, drained, and broken: each case says what it
 * proves and prints its figures, gathered in one table at the end (docs/operations.md quotes it).
 * The cases run in order on one cluster; a case that takes a worker away starts another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generic vendor tasks of 2 s: hundreds run at once, up to the account's cap. */
    private static final String SLOW = "[latency=2000]";
    private final List<String> figures = new ArrayList<>();
    private Cluster cluster;

    @BeforeAll
    void deploy() throws Exception {
        cluster = Cluster.deploy();
    }

    @AfterAll
    void tearDown() {
        System.out.println("ClusterTest figures (1 api, 3 workers of " + Cluster.WORKER_THREADS + " job threads, 1 scheduler; "
            + Runtime.getRuntime().availableProcessors() + " cores):\n| case | generations | succeeded | failed, refunded | refused at submit"
            + " | lost | double charges | ledger audit | figures |\n|---|---|---|---|---|---|---|---|---|\n" + String.join("\n", figures));
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aGenerationRunsEndToEndOnTheChartsDeploymentsAndItsSignedUrlDownloads() throws Exception {
        JsonNode account = cluster.call("POST", "/admin/v1/accounts", Cluster.ADMIN_KEY, "{\"name\":\"cluster\",\"initialCoins\":100}", 201);
        String key = account.path("apiKey").asText();
        String id = cluster.call("POST", "/v1/generations", key, "{\"model\":\"emu-image\",\"inputs\":{\"prompt\":\"a fox on a cluster\"}}", 202)
            .path("id").asText();

        JsonNode done = null;
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            done = cluster.call("GET", "/v1/generations/" + id, key, null, 200);
            if (!done.path("status").asText().matches("QUEUED|RUNNING")) {
                break;
            }
            Thread.sleep(200);
        }

        assertThat(done.path("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
        HttpResponse<byte[]> file = download(done.path("outputs").get(0).path("url").asText());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(cluster.call("GET", "/v1/wallet", key, null, 200).path("balanceCoins").asLong()).isEqualTo(90);
    }

    /**
     * Each worker runs {@value Cluster#WORKER_THREADS} jobs at once and the OpenAI account answers
     * after 2 s, so one worker is bound by that latency; three do three times the work.
     */
    @Test
    @Order(2)
    void threeWorkersCompleteThreeTimesTheWorkOfOneAndSubmitEachTaskOnce() throws Exception {
        warmUp("one");
        Load one = Load.run(cluster, "scale-one", "oa-image", "scale one", 16 * Cluster.WORKER_THREADS, 0, null);
        one.awaitEnded(Duration.ofMinutes(2));
        double oneRate = one.rate();
        one.assertSettled(this::submittedToOpenAiOnce);

        cluster.addWorker();
        cluster.addWorker();
        warmUp("three");
        Load three = Load.run(cluster, "scale-three", "oa-image", "scale three", 3 * 16 * Cluster.WORKER_THREADS, 0, null);
        three.awaitEnded(Duration.ofMinutes(2));
        double threeRate = three.rate();
        Load.Outcome outcome = three.assertSettled(this::submittedToOpenAiOnce);

        figure("scale-out", outcome, String.format(Locale.ROOT, "1 worker %.2f/s, 3 workers %.2f/s: %.2f x", oneRate, threeRate,
            threeRate / oneRate));
        assertThat(threeRate).as("3 workers against 1 (%.2f/s)", oneRate).isGreaterThanOrEqualTo(0.85 * 3 * oneRate);
    }

    @Test
    @Order(3)
    void aWorkerStoppedUnderLoadDrainsExitsZeroAndNothingIsLostOrSubmittedTwice() throws Exception {
        GenericContainer<?> stopped = cluster.workers.removeFirst();
        Duration[] drained = new Duration[1];
        long[] inFlight = new long[1];
        cluster.emulator.resetPeak(cluster.emulator.apiKey());
        Load load = Load.run(cluster, "sigterm", "emu-image", "[latency=3000] sigterm", 1_000, 800, (key, admitted) -> {
            inFlight[0] = cluster.active(admitted);
            Instant asked = Instant.now(); // the stop comes while submits go on and hundreds of 2 s vendor tasks run
            cluster.stop(stopped, 60);
            drained[0] = Duration.between(asked, Instant.now());
        });
        Instant ended = load.awaitEnded(Duration.ofMinutes(3));
        Load.Outcome outcome = load.assertSettled(id -> {
            assertThat(cluster.emulator.submits(id)).as("vendor submits of %s", id).isEqualTo(1);
            assertThat(cluster.emulator.tasksStarted(id)).as("vendor tasks of %s", id).isEqualTo(1);
        });
        int peak = cluster.emulator.peakConcurrency(cluster.emulator.apiKey());

        figure("SIGTERM a worker after 800 of 1,000 submits", outcome, inFlight[0] + " in flight; drained in " + drained[0].toMillis() + " ms, exit "
            + cluster.exitCode(stopped) + "; all ended " + seconds(load.submitted, ended) + " after the last submit; vendor peak "
            + peak + " of cap " + Cluster.VENDOR_CAP);
        assertThat(cluster.exitCode(stopped)).as("a drained worker exits 0").isZero();
        assertThat(drained[0]).as("within the drain grace").isLessThan(Duration.ofSeconds(35));
        assertThat(outcome.succeeded()).as("every generation succeeded").isEqualTo(1_000);
        assertThat(inFlight[0]).as("generations in flight when the stop came").isGreaterThanOrEqualTo(500);
        assertThat(peak).as("the vendor account's cap, held across the workers").isLessThanOrEqualTo(Cluster.VENDOR_CAP)
            .isGreaterThan(Cluster.VENDOR_CAP / 2);
        cluster.addWorker();
    }

    @Test
    @Order(4)
    void aWorkerKilledUnderLoadLosesNothingAndChargesAndStartsEveryTaskOnce() throws Exception {
        GenericContainer<?> killed = cluster.workers.removeFirst();
        Instant[] kill = new Instant[1];
        long[] inFlight = new long[1];
        Load load = Load.run(cluster, "kill", "emu-image", "[latency=4000] kill", 1_500, 1_300, (key, admitted) -> {
            inFlight[0] = cluster.active(admitted);
            kill[0] = Instant.now();
            cluster.signal(killed, "KILL");
        });
        Instant ended = load.awaitEnded(Duration.ofMinutes(4));
        Load.Outcome outcome = load.assertSettled(this::startedAtTheVendorOnce);

        figure("kill -9 a worker after 1,300 of 1,500 submits", outcome, inFlight[0] + " in flight; all ended " + seconds(kill[0], ended)
            + " after the kill (check lease 30 s); vendor resubmits, deduplicated by its idempotency key: " + resubmits(load));
        assertThat(outcome.succeeded()).as("every generation succeeded").isEqualTo(1_500);
        assertThat(inFlight[0]).as("generations in flight when the kill came").isGreaterThanOrEqualTo(1_000);
        cluster.addWorker();
    }

    @Test
    @Order(5)
    void aWorkerFrozenForNinetySecondsLosesNothingAndChargesNothingTwice() throws Exception {
        GenericContainer<?> frozen = cluster.workers.getFirst();
        Instant[] times = new Instant[3]; // stopped, all ended while frozen (if so), thawed
        Load load = Load.run(cluster, "sigstop", "emu-image", SLOW + " sigstop", 600, 300, (key, admitted) -> {
            cluster.signal(frozen, "STOP");
            times[0] = Instant.now();
            while (Instant.now().isBefore(times[0].plusSeconds(90))) {
                if (times[1] == null && admitted.size() == 600 && cluster.active(admitted) == 0) {
                    times[1] = Instant.now();
                }
                Thread.sleep(1_000);
            }
            cluster.signal(frozen, "CONT");
            times[2] = Instant.now();
        });
        Instant ended = load.awaitEnded(Duration.ofMinutes(3));
        Load.Outcome outcome = load.assertSettled(this::startedAtTheVendorOnce);

        figure("SIGSTOP a worker for 90 s after 300 of 600 submits", outcome, (times[1] != null
            ? "all ended " + seconds(times[0], times[1]) + " after SIGSTOP, the worker still frozen"
            : "all ended " + seconds(times[2], ended) + " after SIGCONT") + "; vendor resubmits, deduplicated: " + resubmits(load));
        assertThat(cluster.running(frozen)).as("the thawed worker goes on").isTrue();
        Cluster.awaitReady(portOf(frozen), "/health/readiness");
    }

    @Test
    @Order(6)
    void postgresRestartedUnderLoadRefusesSubmitsQuicklyAndLosesNoAdmittedOne() throws Exception {
        Instant[] back = new Instant[1];
        Load load = Load.runRetrying(cluster, "pg-restart", "emu-image", SLOW + " pg", 600, 200, (key, admitted) -> {
            cluster.halt(cluster.postgres); // a restart as a failover makes it: 10 s without a server
            Thread.sleep(10_000);
            cluster.resume(cluster.postgres);
            back[0] = Instant.now();
        });
        Instant ended = load.awaitEnded(Duration.ofMinutes(3));
        Load.Outcome outcome = load.assertSettled(this::startedAtTheVendorOnce);
        long[] unavailable = load.refusals.stream().filter(r -> r.status() == 503).mapToLong(Load.Refusal::millis).sorted().toArray();
        long slowest = unavailable.length == 0 ? 0 : unavailable[unavailable.length - 1];
        long inProgress = load.refusals.stream().filter(r -> r.status() == 409).count();
        Instant lastInProgress = load.refusals.stream().filter(r -> r.status() == 409).map(Load.Refusal::at)
            .filter(at -> at.isAfter(back[0])).max(Instant::compareTo).orElse(back[0]);

        figure("PostgreSQL down 10 s and restarted after 200 of 600 submits", outcome, unavailable.length + " submit attempts answered 503,"
            + " median " + (unavailable.length == 0 ? 0 : unavailable[unavailable.length / 2]) + " ms, slowest " + slowest + " ms; "
            + inProgress + " answered 409 while their key's failed attempt held it, the last " + seconds(back[0], lastInProgress)
            + " after it was back; each submit sent again with its Idempotency-Key until admitted; all ended " + seconds(back[0], ended)
            + " after it was back");
        assertThat(load.ids).as("every submit admitted once in the end, none twice (the account holds exactly these)").hasSize(600);
        assertThat(load.refusals).as("refusals: 503 unavailable, or 409 request_in_progress for a retry").allSatisfy(r -> assertThat(
            r.status() == 503 && r.code().equals("unavailable") || r.status() == 409 && r.code().equals("request_in_progress")).as("%s", r).isTrue());
        assertThat(unavailable).as("submits during the outage").isNotEmpty();
        assertThat(slowest).as("a 503 comes within a connection timeout or two, not after a hang").isLessThan(8_000);
        assertThat(Duration.between(back[0], lastInProgress)).as("a key whose attempt failed in the outage is freed once"
            + " PostgreSQL is back, not held for the rest of its 60 s lease").isLessThan(Duration.ofSeconds(15));
    }

    @Test
    @Order(7)
    void redisStoppedForThirtySecondsKeepsSubmitsSafeAndStatusesServedFromPostgres() throws Exception {
        int[] reads = new int[2]; // status reads during the outage: answered 200, other
        Instant[] back = new Instant[1];
        Load load = Load.run(cluster, "redis-stop", "emu-image", SLOW + " redis", 600, 200, (key, admitted) -> {
            cluster.halt(cluster.redis);
            Instant until = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(until)) { // statuses of the generations admitted so far, read while Redis is away
                String id = admitted.get(ThreadLocalRandom.current().nextInt(admitted.size()));
                reads[cluster.send("GET", "/v1/generations/" + id, key, null).statusCode() == 200 ? 0 : 1]++;
                Thread.sleep(100);
            }
            cluster.resume(cluster.redis);
            back[0] = Instant.now();
        });
        Instant ended = load.awaitEnded(Duration.ofMinutes(3));
        Load.Outcome outcome = load.assertSettled(this::startedAtTheVendorOnce);

        figure("stop Redis for 30 s after 200 of 600 submits", outcome, load.refusals.size() + " submits refused (503); "
            + reads[0] + " of " + (reads[0] + reads[1]) + " status reads answered during the outage; all ended " + seconds(back[0], ended)
            + " after Redis was back");
        assertThat(reads[0]).as("status reads during the outage").isPositive();
        assertThat(reads[1]).as("status reads that failed during the outage").isZero();
        assertThat(load.refusals).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
    }

    @Test
    @Order(8)
    void s3UnavailableForThirtySecondsAfterVendorSuccessesIsRetriedAndNeverGivesAUrlToAMissingObject() throws Exception {
        Instant[] back = new Instant[1];
        Load load = Load.run(cluster, "s3-outage", "emu-image", "[latency=1000] s3", 300, 100, (key, admitted) -> {
            cluster.halt(cluster.s3); // vendor tasks of 1 s keep succeeding meanwhile: their outputs wait for S3
            Thread.sleep(30_000);
            cluster.resume(cluster.s3);
            back[0] = Instant.now();
        });
        Instant ended = load.awaitEnded(Duration.ofMinutes(4));
        Load.Outcome outcome = load.assertSettled(id -> {
            startedAtTheVendorOnce(id);
            JsonNode g = cluster.call("GET", "/v1/generations/" + id, load.key, null, 200);
            for (JsonNode output : g.path("outputs")) {
                assertThat(download(output.path("url").asText()).statusCode()).as("the output of %s", id).isEqualTo(200);
            }
        });

        figure("S3 unavailable for 30 s after 100 of 300 submits", outcome, "all ended " + seconds(back[0], ended)
            + " after S3 was back; every output URL downloads");
        assertThat(outcome.succeeded()).as("every generation succeeded once S3 was back").isEqualTo(300);
    }

    /**
     * A real Prometheus scrapes every pod; the chart's Grafana dashboard asks only for metrics that
     * scrape has, in queries Prometheus accepts.
     */
    @Test
    @Order(9)
    void anApiPodStoppedUnderSubmitsAnswersEverySubmitItTookAndExitsZero() throws Exception {
        GenericContainer<?> api = cluster.pods.get(cluster.apiPort);
        Duration[] drained = new Duration[1];
        Load load = Load.run(cluster, "api-sigterm", "emu-image", "[latency=500] api", 900, 300, (key, admitted) -> {
            Instant asked = Instant.now();
            cluster.stop(api, 60);
            drained[0] = Duration.between(asked, Instant.now());
        });
        cluster.replaceApi(); // what the Deployment would do; the checks below ask the new pod
        Instant ended = load.awaitEnded(Duration.ofMinutes(3)); // every generation the database holds was answered 202
        Load.Outcome outcome = load.assertSettled(this::startedAtTheVendorOnce);

        figure("SIGTERM the api pod after 300 of 900 submits", outcome, "drained in " + drained[0].toMillis() + " ms, exit "
            + cluster.exitCode(api) + "; the submits it did not take were refused (a Service sends them to another pod); all ended "
            + seconds(load.submitted, ended) + " after the last submit");
        assertThat(cluster.exitCode(api)).as("a drained api pod exits 0").isZero();
        assertThat(load.refusals).as("what the stopping pod did not take: no connection, or 503 to retry on another pod")
            .allSatisfy(r -> assertThat(r.status() == 0 || r.status() == 503 && r.code().equals("unavailable")).as("%s", r).isTrue());
    }

    @Test
    @Order(10)
    void prometheusScrapesEveryPodAndTheDashboardAsksOnlyForMetricsItHas() throws Exception {
        Path prometheus = Tools.require("prometheus", "prometheus");
        // the newest api pod's counters begin with its first submit
        Load.run(cluster, "scrape", "emu-image", "scrape", 8, 0, null).awaitEnded(Duration.ofMinutes(1));
        List<Integer> targets = cluster.pods.entrySet().stream().filter(e -> cluster.running(e.getValue())).map(java.util.Map.Entry::getKey).toList();
        Path dir = Files.createTempDirectory("genq-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: genq\n"
            + "    metrics_path: /prometheus\n    static_configs:\n      - targets: ["
            + String.join(", ", targets.stream().map(p -> "'127.0.0.1:" + p + "'").toList()) + "]\n");
        int port = TestServices.freePort();
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1/";
            Instant until = Instant.now().plusSeconds(60);
            JsonNode up;
            do {
                Thread.sleep(1_000);
                up = prometheusQuery(api, "sum(up) + count(genq_generations_active) * 0", until);
            } while ((up == null || up.path("data").path("result").isEmpty()
                || up.path("data").path("result").get(0).path("value").get(1).asDouble() < targets.size()) && Instant.now().isBefore(until));
            assertThat(up.path("data").path("result").get(0).path("value").get(1).asDouble()).as("targets up").isEqualTo(targets.size());
            Thread.sleep(3_000); // rates need a few samples

            Set<String> scraped = new HashSet<>();
            JSON.readTree(get(api + "label/__name__/values")).path("data").forEach(n -> scraped.add(n.asText()));
            JsonNode dashboard = JSON.readTree(Path.of("genq", "files", "dashboard.json").toFile());
            Pattern metric = Pattern.compile("\\b(?:genq|http|jvm|process)_[a-z0-9_]+\\b");
            int queries = 0;
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText();
                    Matcher m = metric.matcher(expr);
                    while (m.find()) {
                        assertThat(scraped).as("panel \"%s\" asks for %s", panel.path("title").asText(), m.group()).contains(m.group());
                    }
                    assertThat(prometheusQuery(api, expr, until).path("status").asText()).as("%s", expr).isEqualTo("success");
                    queries++;
                }
            }
            figure("Prometheus scrape", null, targets.size() + " pods scraped, " + scraped.size() + " metric names; " + queries
                + " dashboard queries, each on scraped metrics");
        } finally {
            server.destroy();
        }
    }

    /** Short jobs of the measured kind first, so that no worker is measured on its first, cold ones. */
    private void warmUp(String name) throws Exception {
        Load.run(cluster, "warm-up-" + name, "oa-image", "[latency=200] warm-up " + name, 6 * Cluster.WORKER_THREADS, 0, null)
            .awaitEnded(Duration.ofMinutes(1));
    }

    private void submittedToOpenAiOnce(String id) {
        // the OpenAI emulator counts tasks by prompt; the id is found through the generation's prompt
        assertThat(cluster.openai.tasksStarted(promptOf(id))).as("OpenAI calls for %s", id).isEqualTo(1);
    }

    private void startedAtTheVendorOnce(String id) {
        assertThat(cluster.emulator.tasksStarted(id)).as("vendor tasks of %s", id).isEqualTo(1);
    }

    private String promptOf(String id) {
        try (var c = cluster.db.getConnection(); var q = c.prepareStatement("SELECT inputs->>'prompt' FROM generation WHERE id = ?")) {
            q.setObject(1, java.util.UUID.fromString(id));
            try (var rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private String resubmits(Load load) {
        return String.valueOf(load.ids.stream().filter(id -> cluster.emulator.submits(id) > 1).count());
    }

    private int portOf(GenericContainer<?> pod) {
        return cluster.pods.entrySet().stream().filter(e -> e.getValue() == pod).findFirst().orElseThrow().getKey();
    }

    private void figure(String name, Load.Outcome o, String text) {
        String row = o == null ? "| " + name + " | | | | | | | | " + text + " |"
            : "| " + name + " | " + o.admitted() + " | " + o.succeeded() + " | " + o.failed() + " | " + o.refused() + " | " + o.lost() + " | "
                + o.overcharged() + " | "
                + (o.discrepancies() == 0 ? "clean" : o.discrepancies() + " found") + " | " + text + " |";
        figures.add(row);
        System.out.println("ClusterTest: " + row);
    }

    private static String seconds(Instant from, Instant to) {
        return String.format(Locale.ROOT, "%.1f s", Duration.between(from, to).toMillis() / 1000.0);
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String get(String url) throws Exception {
        return Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode prometheusQuery(String api, String query, Instant until) throws Exception {
        try {
            return JSON.readTree(get(api + "query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            if (Instant.now().isAfter(until)) {
                throw e;
            }
            return null;
        }
    }
}
