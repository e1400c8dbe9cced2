package dev.genq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.devkit.services.Postgres;
import dev.genq.devkit.services.Redis;
import dev.genq.devkit.services.S3;
import dev.genq.devkit.services.TestServices;
import dev.genq.ledger.LedgerAudit;
import dev.genq.local.Wiring;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * genq end to end, all roles in this process: HTTP submits with auth, pricing and reservation from
 * {@code clients} concurrent clients → JobRunr → worker → the provider emulator over HTTP → S3 →
 * capture → SUCCEEDED. Timings come from the generation rows; statements from {@link CountingDriver},
 * commits from PostgreSQL's own counter. The ledger is audited at the end and a broken invariant fails the run.
 */
final class GenqEndToEnd {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "bench-admin-key";

    private GenqEndToEnd() {
    }

    /** With {@code measured} false (a warm-up) the status-polling run is left out. */
    static Result run(Postgres db, Redis redis, S3 s3, int jobs, long latencyMs, int clients, int outputBytes, boolean measured)
        throws Exception {
        Class.forName(CountingDriver.class.getName());
        int port = TestServices.freePort();
        try (ProviderEmulator emulator = new ProviderEmulator(0, "bench-emulator-key", latencyMs)) {
            emulator.webhookSecret(emulator.apiKey(), Wiring.EMULATOR_WEBHOOK_SECRET); // tasks end by webhook, as in production
            Postgres counted = new Postgres(CountingDriver.PREFIX + db.jdbcUrl().substring("jdbc:".length()), db.user(), db.password(), db.origin());
            Map<String, Object> properties = new java.util.HashMap<>(new Wiring(counted, redis, s3, emulator.baseUrl(), emulator.apiKey(),
                ADMIN_KEY, port, TestServices.freePort(), "bench-dashboard").properties());
            properties.put("datasources.default.driver-class-name", CountingDriver.class.getName());
            properties.put("genq.s3.bucket", "genq-bench");
            properties.put("genq.providers.emulator.webhook-poll-interval", "30s"); // the default: webhooks finish tasks
            try (ApplicationContext genq = Application.startManaged(Application.ALL_ROLES, properties);
                 Connection stats = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
                String base = "http://127.0.0.1:" + port;
                String key = newAccount(http, base, (long) jobs * 10);
                long commitsBefore = commits(stats);
                long statementsBefore = CountingDriver.statements();
                long[] submitMs = new long[jobs];
                AtomicInteger next = new AtomicInteger();
                AtomicLong refused = new AtomicLong();
                long start = System.nanoTime();
                try (ExecutorService pool = Executors.newFixedThreadPool(clients, Thread.ofVirtual().factory())) {
                    for (int c = 0; c < clients; c++) {
                        pool.submit(() -> {
                            for (int i; (i = next.getAndIncrement()) < jobs; ) {
                                long t0 = System.nanoTime();
                                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/generations"))
                                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"bench " + i
                                        + " [bytes=" + outputBytes + "]\"}}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                                submitMs[i] = (System.nanoTime() - t0) / 1_000_000;
                                if (r.statusCode() != 202) {
                                    refused.incrementAndGet();
                                }
                            }
                            return null;
                        });
                    }
                }
                double submitSeconds = (System.nanoTime() - start) / 1e9;
                int polls = awaitAllEnded(stats, jobs - (int) refused.get());
                long commits = commits(stats) - commitsBefore - 2L * polls - 2; // minus this harness's own reads
                long statements = CountingDriver.statements() - statementsBefore;
                Timings t = timings(stats);
                if (!genq.getBean(LedgerAudit.class).discrepancies().isEmpty()) {
                    throw new IllegalStateException("the ledger does not balance after the run: " + genq.getBean(LedgerAudit.class).discrepancies());
                }
                Percentiles submits = new Percentiles(submitMs);
                Result result = new Result("genq end to end", (int) (latencyMs / 1000), t.succeeded(), t.seconds());
                if (!measured) {
                    return result;
                }
                StatusPolls status = statusPolls(stats, port, key);
                return result
                    .with("failed or refused", Long.toString(t.failed() + refused.get()))
                    .with("submits/s over HTTP (" + clients + " clients)", String.format("%.0f", jobs / submitSeconds))
                    .with("submit latency p50/p99", submits.summary(50, 99))
                    .with("submit→start p50/p95/p99", t.toStart().summary(50, 95, 99))
                    .with("submit→done p50/p95/p99", t.toDone().summary(50, 95, 99))
                    .with("SQL statements per generation", String.format("%.1f", (double) statements / jobs))
                    .with("commits per generation", String.format("%.1f", (double) commits / jobs))
                    .with("resident memory (this process, all roles)", rssMb() + " MB")
                    .with("status polls/s (second process, " + STATUS_CONNECTIONS + " connections, " + STATUS_SECONDS + " s)", status.perSecond())
                    .with("status poll p50/p99", status.latency())
                    .with("status polls answered 304", status.notModified())
                    .with("SQL statements during polling (idle window of equal length)", status.statements());
            }
        }
    }

    private static final int STATUS_CONNECTIONS = 32;
    private static final int STATUS_SECONDS = 10;
    private static final long STATUS_MAX_REQUESTS = 1_000_000;

    private record StatusPolls(String perSecond, String latency, String notModified, String statements) {
    }

    /**
     * Polls the statuses of up to 200 finished generations from a second JVM for a bounded time and
     * request count, after an idle window of the same length; PostgreSQL statements are counted in
     * both, so what polling adds to genq's background work (JobRunr's and the poller's own polls) shows.
     */
    private static StatusPolls statusPolls(Connection stats, int port, String key) throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (Statement s = stats.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM generation WHERE status = 'SUCCEEDED' LIMIT 200")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        long idleBefore = CountingDriver.statements();
        Thread.sleep(STATUS_SECONDS * 1000L);
        long idle = CountingDriver.statements() - idleBefore;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process load = new ProcessBuilder(java, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
            StatusLoad.class.getName(), "127.0.0.1", Integer.toString(port), key, Integer.toString(STATUS_SECONDS),
            Integer.toString(STATUS_CONNECTIONS), Long.toString(STATUS_MAX_REQUESTS), String.join(",", ids))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long pollingBefore = CountingDriver.statements();
        String line = new String(load.getInputStream().readAllBytes()).trim();
        long polling = CountingDriver.statements() - pollingBefore;
        if (load.waitFor() != 0 || line.isEmpty()) {
            throw new IllegalStateException("the status load process failed: " + line);
        }
        String[] f = line.split(" ");
        long requests = Long.parseLong(f[0]);
        if (Long.parseLong(f[5]) > 0) {
            throw new IllegalStateException(f[5] + " status polls failed");
        }
        return new StatusPolls(String.format("%.0f", requests / Double.parseDouble(f[1])),
            String.format("%.1f / %.1f ms", Long.parseLong(f[2]) / 1000.0, Long.parseLong(f[3]) / 1000.0),
            String.format("%.0f%%", 100.0 * Long.parseLong(f[4]) / Math.max(1, requests)),
            polling + " (" + idle + ")");
    }

    private record Timings(int succeeded, int failed, double seconds, Percentiles toStart, Percentiles toDone) {
    }

    private static Timings timings(Connection stats) throws Exception {
        try (Statement s = stats.createStatement(); ResultSet rs = s.executeQuery("""
            SELECT status, extract(epoch FROM started_at - created_at) * 1000, extract(epoch FROM finished_at - created_at) * 1000,
                   extract(epoch FROM max(finished_at) OVER () - min(created_at) OVER ())
            FROM generation""")) {
            java.util.List<Long> toStart = new java.util.ArrayList<>();
            java.util.List<Long> toDone = new java.util.ArrayList<>();
            int succeeded = 0;
            int failed = 0;
            double seconds = 0;
            while (rs.next()) {
                if ("SUCCEEDED".equals(rs.getString(1))) {
                    succeeded++;
                    toStart.add((long) rs.getDouble(2));
                    toDone.add((long) rs.getDouble(3));
                } else {
                    failed++;
                }
                seconds = rs.getDouble(4);
            }
            return new Timings(succeeded, failed, seconds, new Percentiles(toStart.stream().mapToLong(Long::longValue).toArray()),
                new Percentiles(toDone.stream().mapToLong(Long::longValue).toArray()));
        }
    }

    /** Waits until {@code expected} generations ended; returns how many queries (commits) the waiting cost. */
    private static int awaitAllEnded(Connection stats, int expected) throws Exception {
        int polls = 0;
        while (true) {
            polls++;
            try (Statement s = stats.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM generation WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')")) {
                rs.next();
                if (rs.getInt(1) >= expected) {
                    return polls;
                }
            }
            Thread.sleep(200);
        }
    }

    private static long commits(Connection stats) throws Exception {
        try (Statement s = stats.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()"); // a fresh read, not this session's cached one
            try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String newAccount(HttpClient http, String base, long coins) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/accounts"))
            .header("Authorization", "Bearer " + ADMIN_KEY).header("X-Genq-Actor", "bench").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"initialCoins\":" + coins + "}")).build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("could not open the bench account: " + r.body());
        }
        return body.path("apiKey").asText();
    }

    /** Resident memory of this process, from the kernel. */
    static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            // not Linux: no figure
        }
        return -1;
    }

}
