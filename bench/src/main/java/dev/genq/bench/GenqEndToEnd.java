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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * genq end to end, all roles in this process: HTTP submits with auth, pricing and reservation from
 * {@code clients} concurrent clients → JobRunr → worker → the provider emulator over HTTP → S3 →
 * capture → SUCCEEDED. Timings come from the generation rows; statements from {@link CountingDriver},
 * commits from PostgreSQL's own counter. The ledger is audited at the end and a broken invariant fails the run.
 */
final class GenqEndToEnd {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SUBMITS_ALONE = "genq submits, API role alone";
    private static final String ADMIN_KEY = "bench-admin-key";
    /** PostgreSQL 15 backends report their statistics when idle at most this late (PGSTAT_IDLE_INTERVAL, 10 s). */
    private static final long PG_STATS_IDLE_FLUSH_MS = 11_000;

    private GenqEndToEnd() {
    }

    /** With {@code measured} false (a warm-up) the status-polling run is left out. */
    static Result run(Postgres db, Redis redis, S3 s3, int jobs, long latencyMs, int clients, int outputBytes, boolean measured)
        throws Exception {
        try (Running genq = Running.start(Application.ALL_ROLES, db, redis, s3, latencyMs, jobs);
             Autoanalyze analyzing = Autoanalyze.ifServerDoesNot(db)) {
            long commitsBefore = commits(genq.stats);
            long statementsBefore = CountingDriver.statements();
            CpuTime cpuBefore = CpuTime.now();
            Submits submits = submit(genq, jobs, clients, outputBytes, !measured);
            long behindTheBurst = measured ? anotherAccountsSingle(genq) : 0;
            Thread.sleep(latencyMs * 9 / 10); // the last submits cannot end sooner: no need to count meanwhile
            int polls = awaitAllEnded(genq.stats);
            CpuTime cpu = CpuTime.now().since(cpuBefore);
            long commits = commits(genq.stats) - commitsBefore - 2L * polls - 2; // minus this harness's own reads
            long statements = CountingDriver.statements() - statementsBefore;
            Timings t = timings(genq.stats, genq.account);
            genq.audit();
            Result result = new Result("genq end to end", (int) (latencyMs / 1000), t.succeeded(), t.seconds(), cpu);
            if (!measured) {
                return result;
            }
            StatusPolls status = statusPolls(genq.stats, genq.port, genq.key);
            String events = eventStreams(genq);
            return result
                .with("failed or refused", Long.toString(t.failed() + submits.refused()))
                .with("submits/s over HTTP (" + clients + " clients)", String.format("%.0f", jobs / submits.seconds()))
                .with("submit latency p50/p99", submits.latency().summary(50, 99))
                .with("submit→start p50/p95/p99", t.toStart().summary(50, 95, 99))
                .with("submit→done p50/p95/p99", t.toDone().summary(50, 95, 99))
                .with("webhooks the emulator sent again a second later", webhookRetries(genq.emulator))
                .with("SQL statements per generation", String.format("%.1f", (double) statements / jobs))
                .with("commits per generation", String.format("%.1f", (double) commits / jobs))
                .with("CPU per generation (this process, harness included (of it JIT compiling) / PostgreSQL / Redis)", cpu.per(jobs))
                .with("resident memory (this process, all roles)", rssMb() + " MB")
                .with("status polls/s (second process, " + STATUS_CONNECTIONS + " connections, " + STATUS_SECONDS + " s)", status.perSecond())
                .with("status poll p50/p99", status.latency())
                .with("status polls answered 304", status.notModified())
                .with("SQL statements during polling (idle window of equal length)", status.statements())
                .with("another account's generation, submitted as the burst's last submit was answered: submit→done", behindTheBurst + " ms")
                .with("event streams (second process, " + SSE_CONNECTIONS + " connections over " + SSE_ACCOUNTS + " accounts, "
                    + SSE_GENERATIONS + " generations)", events);
        }
    }

    private static String webhookRetries(ProviderEmulator emulator) {
        Map<String, Integer> retries = emulator.webhookRetries();
        int all = retries.values().stream().mapToInt(Integer::intValue).sum();
        return all == 0 ? "0" : all + " " + retries;
    }

    /**
     * The API role alone, as an API node runs in production: the same submits (auth, pricing,
     * reservation, enqueue) with no worker sharing the cores, so the row's rate is the submit path's
     * own capacity. The generations stay QUEUED and paid; the ledger is audited as after a full run.
     */
    static Result submitsAlone(Postgres db, Redis redis, S3 s3, int jobs, long latencyMs, int clients, boolean measured) throws Exception {
        try (Running genq = Running.start(Set.of("api"), db, redis, s3, latencyMs, jobs)) {
            long commitsBefore = commits(genq.stats);
            long statementsBefore = CountingDriver.statements();
            CpuTime cpuBefore = CpuTime.now();
            Submits submits = submit(genq, jobs, clients, 0, false);
            CpuTime cpu = CpuTime.now().since(cpuBefore);
            if (measured) {
                Thread.sleep(PG_STATS_IDLE_FLUSH_MS); // until the pool's now idle connections have reported their commits
            }
            long commits = commits(genq.stats) - commitsBefore - 2; // minus this harness's own reads
            long statements = CountingDriver.statements() - statementsBefore;
            genq.audit();
            return new Result(SUBMITS_ALONE, (int) (latencyMs / 1000), jobs, submits.seconds(), cpu)
                .with("refused", Long.toString(submits.refused()))
                .with("submit latency p50/p99 (" + clients + " clients)", submits.latency().summary(50, 99))
                .with("SQL statements per submit", String.format("%.2f", (double) statements / jobs))
                .with("commits per submit", String.format("%.2f", (double) commits / jobs))
                .with("CPU per submit (this process, clients included (of it JIT compiling) / PostgreSQL / Redis)", cpu.per(jobs));
        }
    }

    /** genq started with some roles on a fresh database, the emulator beside it, a bench account with coins for {@code jobs}. */
    private record Running(ApplicationContext context, ProviderEmulator emulator, Connection stats, int port, String key, UUID account)
        implements AutoCloseable {

        static Running start(Set<String> roles, Postgres db, Redis redis, S3 s3, long latencyMs, int jobs) throws Exception {
            Class.forName(CountingDriver.class.getName());
            int port = TestServices.freePort();
            ProviderEmulator emulator = new ProviderEmulator(0, "bench-emulator-key", latencyMs);
            emulator.webhookSecret(emulator.apiKey(), Wiring.EMULATOR_WEBHOOK_SECRET); // tasks end by webhook, as in production
            Postgres counted = new Postgres(CountingDriver.PREFIX + db.jdbcUrl().substring("jdbc:".length()), db.user(), db.password(), db.origin());
            Map<String, Object> properties = new HashMap<>(new Wiring(counted, redis, s3, emulator.baseUrl(), emulator.apiKey(),
                ADMIN_KEY, port, TestServices.freePort(), "bench-dashboard").properties());
            properties.put("datasources.default.driver-class-name", CountingDriver.class.getName());
            properties.put("genq.s3.bucket", "genq-bench");
            // one account submits the whole run: its limits are set out of the way
            properties.put("genq.limits.key-requests-per-second", 1_000_000);
            properties.put("genq.limits.account-requests-per-second", 1_000_000);
            properties.put("genq.limits.account-generations-in-flight", 1_000_000);
            properties.put("genq.limits.key-generations-in-flight", 1_000_000);
            properties.put("genq.providers.emulator.webhook-poll-interval", "30s"); // the default: webhooks finish tasks
            ApplicationContext context = Application.startManaged(roles, properties);
            Connection stats = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
            JsonNode account = openAccount("http://127.0.0.1:" + port, (long) jobs * 10);
            return new Running(context, emulator, stats, port, account.path("apiKey").asText(), UUID.fromString(account.path("id").asText()));
        }

        /** Fails the run if any ledger invariant is broken. */
        void audit() {
            var discrepancies = context.getBean(LedgerAudit.class).discrepancies();
            if (!discrepancies.isEmpty()) {
                throw new IllegalStateException("the ledger does not balance after the run: " + discrepancies);
            }
        }

        @Override
        public void close() throws Exception {
            try (emulator; stats) {
                context.close();
            }
        }
    }

    private record Submits(double seconds, Percentiles latency, long refused) {
    }

    /**
     * {@code jobs} submits from {@code clients} concurrent clients, each on its own keep-alive
     * connection, one request at a time, as fast as answers come. A connection's first request is
     * sent and counted in the rate but left out of the latency: it pays the connection's setup and
     * its API key's first lookup, once per connection, while the figure is of a connection in use
     * (with 64 clients the 64 first requests alone are 0.8% of 8,000, enough to set the p99).
     * A warm-up asks for every other generation to take the vendor 0.5 s, whatever the run's
     * latency: at 0 s the vendor answers the submit with the result, and the path of the slower
     * ones (webhook, wake, the poller's check and finish) would otherwise be compiled in the
     * measured run.
     */
    private static Submits submit(Running genq, int jobs, int clients, int outputBytes, boolean warmUp) throws Exception {
        long[] submitMs = new long[jobs];
        boolean[] first = new boolean[jobs];
        AtomicInteger next = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        String headers = "Authorization: Bearer " + genq.key + "\r\nContent-Type: application/json\r\n";
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients, Thread.ofVirtual().factory())) {
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    try (BareHttp client = new BareHttp("127.0.0.1", genq.port)) {
                        boolean firstOfConnection = true;
                        for (int i; (i = next.getAndIncrement()) < jobs; firstOfConnection = false) {
                            byte[] body = ("{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"bench " + i + " [bytes=" + outputBytes
                                + "]" + (warmUp && i % 2 == 1 ? " [latency=500]" : "") + "\"}}").getBytes(StandardCharsets.UTF_8);
                            long t0 = System.nanoTime();
                            int status = client.send("POST", "/v1/generations", headers, body).status();
                            submitMs[i] = (System.nanoTime() - t0) / 1_000_000;
                            first[i] = firstOfConnection;
                            if (status != 202) {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : running) {
            f.get(); // a client that lost its connection fails the run
        }
        long[] inUse = IntStream.range(0, jobs).filter(i -> !first[i]).mapToLong(i -> submitMs[i]).toArray();
        return new Submits((System.nanoTime() - start) / 1e9, new Percentiles(inUse), refused.get());
    }

    /**
     * One generation of a second account, submitted while the run's account has its whole burst
     * queued, timed from its submit to its end: what fair dispatch promises another customer.
     */
    private static long anotherAccountsSingle(Running genq) throws Exception {
        String base = "http://127.0.0.1:" + genq.port;
        String key = newAccount(base, 100);
        long start = System.nanoTime();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/generations"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"another account\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
            if (submitted.statusCode() != 202) {
                throw new IllegalStateException("another account's submit was refused: " + submitted.body());
            }
            String id = JSON.readTree(submitted.body()).path("id").asText();
            while (true) {
                String status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/generations/" + id))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body()).path("status").asText();
                if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
                Thread.sleep(50);
            }
        }
    }

    private static final int SSE_CONNECTIONS = 1_000;
    private static final int SSE_ACCOUNTS = 10;
    private static final int SSE_GENERATIONS = 200;

    /**
     * Opens {@link #SSE_CONNECTIONS} event streams in a second process (100 per account, the most a
     * node allows), runs {@link #SSE_GENERATIONS} generations of those accounts through, and reports
     * the status events the streams received and genq's SQL statements meanwhile (a statement per
     * connection per event would be hundreds of thousands).
     */
    private static String eventStreams(Running genq) throws Exception {
        String base = "http://127.0.0.1:" + genq.port;
        List<String> keys = new ArrayList<>();
        for (int a = 0; a < SSE_ACCOUNTS; a++) {
            keys.add(newAccount(base, 1_000));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process load = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SseLoad.class.getName(), base,
            String.join(",", keys), Integer.toString(SSE_CONNECTIONS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(load.getInputStream()));
        if (!"ready".equals(out.readLine())) {
            throw new IllegalStateException("the event stream process did not get ready");
        }
        long before = CountingDriver.statements();
        long start = System.nanoTime();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int g = 0; g < SSE_GENERATIONS; g++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/generations"))
                    .header("Authorization", "Bearer " + keys.get(g % keys.size())).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"streamed " + g + "\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("a streamed generation was refused: " + r.body());
                }
            }
        }
        awaitAllEnded(genq.stats);
        Thread.sleep(1_000); // the last events on their way
        long statements = CountingDriver.statements() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        load.getOutputStream().write('\n');
        load.getOutputStream().flush();
        String[] f = out.readLine().trim().split(" ");
        if (load.waitFor() != 0 || Long.parseLong(f[2]) > 0) {
            throw new IllegalStateException("the event stream process failed: " + String.join(" ", f));
        }
        return String.format("%s status events received in %.1f s (at least %s per connection); SQL statements meanwhile: %d"
            + " (%.1f per generation)", f[0], seconds, f[1], statements, (double) statements / SSE_GENERATIONS);
    }

    private static final int STATUS_CONNECTIONS = 32;
    private static final int STATUS_SECONDS = 10;
    private static final int STATUS_WARMUP_SECONDS = 10;
    private static final long STATUS_MAX_REQUESTS = 1_000_000;

    private record StatusPolls(String perSecond, String latency, String notModified, String statements) {
    }

    /**
     * Polls the statuses of up to 200 finished generations from a second JVM for a bounded time and
     * request count, after an idle window of the same length; PostgreSQL statements are counted in
     * both, so what polling adds to genq's background work (JobRunr's and the poller's own polls) shows.
     */
    private static StatusPolls statusPolls(Connection stats, int port, String key) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Statement s = stats.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM generation WHERE status = 'SUCCEEDED' LIMIT 200")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        long idleBefore = CountingDriver.statements();
        Thread.sleep((STATUS_WARMUP_SECONDS + STATUS_SECONDS) * 1000L); // as long as the polling, warm-up included
        long idle = CountingDriver.statements() - idleBefore;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process load = new ProcessBuilder(java, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
            StatusLoad.class.getName(), "127.0.0.1", Integer.toString(port), key, Integer.toString(STATUS_SECONDS),
            Integer.toString(STATUS_CONNECTIONS), Long.toString(STATUS_MAX_REQUESTS), String.join(",", ids),
            Integer.toString(STATUS_WARMUP_SECONDS))
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

    /** The run account's generations only: another account's, timed on their own, are not the run's. */
    private static Timings timings(Connection stats, UUID account) throws Exception {
        try (PreparedStatement s = stats.prepareStatement("""
            SELECT status, extract(epoch FROM started_at - created_at) * 1000, extract(epoch FROM finished_at - created_at) * 1000,
                   extract(epoch FROM max(finished_at) OVER () - min(created_at) OVER ())
            FROM generation WHERE account_id = ?""")) {
            s.setObject(1, account);
            ResultSet rs = s.executeQuery();
            List<Long> toStart = new ArrayList<>();
            List<Long> toDone = new ArrayList<>();
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

    /**
     * Waits until all submitted generations ended; returns how many queries (commits) the waiting
     * cost. It counts the unfinished ones, by the partial indexes of QUEUED and RUNNING rows: a count
     * of the finished ones read the whole table five times a second, which in a long run cost
     * PostgreSQL more than genq's own statements and was counted as genq's.
     */
    private static int awaitAllEnded(Connection stats) throws Exception {
        int polls = 0;
        while (true) {
            polls++;
            try (Statement s = stats.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM generation WHERE status = 'QUEUED')"
                     + " + (SELECT count(*) FROM generation WHERE status = 'RUNNING')")) {
                rs.next();
                if (rs.getInt(1) == 0) {
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

    private static String newAccount(String base, long coins) throws Exception {
        return openAccount(base, coins).path("apiKey").asText();
    }

    private static JsonNode openAccount(String base, long coins) throws Exception {
        HttpResponse<String> r;
        try (HttpClient http = HttpClient.newHttpClient()) {
            r = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/accounts"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"initialCoins\":" + coins + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() != 201) {
            throw new IllegalStateException("could not open the bench account: " + r.body());
        }
        return JSON.readTree(r.body());
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
