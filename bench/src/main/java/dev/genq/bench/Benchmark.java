package dev.genq.bench;

import dev.genq.devkit.services.Postgres;
import dev.genq.devkit.services.Redis;
import dev.genq.devkit.services.S3;
import dev.genq.devkit.services.TestServices;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./genq bench [--latencies 0,2] [--jobs 2000] [--clients 64] [--concurrency 2000] [--systems floor,defaults,tuned,submits,genq]
 * [--output-kb 2] [--warmup 6000] [--warmup-rounds 20]
 * [--out bench-results.md]}
 *
 * <p>For each provider latency, runs the floor, bare JobRunr with defaults, bare JobRunr tuned, genq's
 * API role alone (submits only) and genq end to end, one after another on the same PostgreSQL and Redis (the machine's when present,
 * else embedded), each row in a JVM of its own, prints a table and writes it as markdown. Ratios to
 * the baselines in the same run are what count on a shared machine. Each row's JVM first runs rounds
 * of {@code --warmup} jobs at 0 s latency, not measured, until the JIT compiler is quiet, so that
 * rows measure the compiled code a long-running process runs and all rows are measured alike.
 */
public final class Benchmark {
    /** In the order they run; the command's {@code --systems} picks among them. */
    private static final List<String> SYSTEMS = List.of("floor", "defaults", "tuned", "submits", "genq");
    private static final int WARMUP_OUTPUT_BYTES = 2048; // the code paths warm alike; large outputs only cost time
    /** Below this share of the process's CPU while a warm-up round's jobs run, the JIT compiler is taken as quiet. */
    private static final double QUIET_JIT_SHARE = 0.10;
    /**
     * Under ten of /proc's clock ticks the share says nothing: a round of the floor takes a tenth of
     * a second, and one tick more or less swung its share between 0 and 100%.
     */
    private static final long TOO_LITTLE_JIT_NANOS = 100_000_000L;
    /** A filesystem in memory, where Linux has one. */
    private static final Path RAM = Path.of("/dev/shm");
    /** What S3Proxy's filesystem store takes per object besides its bytes: a file, a directory entry, extended attributes. */
    private static final long STORE_OVERHEAD_BYTES = 8192;
    /** Given to a row's own JVM: where it writes its {@link RowRun}. */
    private static final String RESULTS = "results";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.of(args);
        if (settings.options().containsKey(RESULTS)) { // a row's own JVM, started by run below
            RowRun run = runRow(settings.systems().getFirst(), settings.latencies().getFirst(), settings);
            JSON.writeValue(Path.of(settings.options().get(RESULTS)).toFile(), run);
            System.exit(0);
        }
        String table = run(settings, args);
        System.out.println();
        System.out.println(table);
        System.out.println("written to " + settings.out().toAbsolutePath());
        System.exit(0); // the shutdown hook stops the servers the run started
    }

    /** The command's options, with their defaults. */
    record Settings(List<Integer> latencies, int jobs, List<String> systems, int warmup, int maxRounds, Path out,
                    Map<String, String> options) {
        static Settings of(String[] args) {
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
                }
                options.put(args[i].substring(2), args[i + 1]);
            }
            List<String> systems = List.of(options.getOrDefault("systems", String.join(",", SYSTEMS)).split(","));
            systems.stream().filter(x -> !SYSTEMS.contains(x)).findFirst().ifPresent(x -> {
                throw new IllegalArgumentException("unknown system " + x + "; the systems are " + String.join(",", SYSTEMS));
            });
            return new Settings(
                Arrays.stream(options.getOrDefault("latencies", "0,2").split(",")).map(String::trim).map(Integer::valueOf).toList(),
                Integer.parseInt(options.getOrDefault("jobs", "2000")), systems,
                Integer.parseInt(options.getOrDefault("warmup", "6000")), Integer.parseInt(options.getOrDefault("warmup-rounds", "20")),
                Path.of(options.getOrDefault("out", "bench-results.md")), options);
        }
    }

    /** Runs every row the command asks for, each in a JVM of its own, writes the table to {@code --out} and returns it. */
    static String run(String... args) throws Exception {
        return run(Settings.of(args), args);
    }

    private static String run(Settings settings, String[] args) throws Exception {
        Postgres first = TestServices.postgres();
        Redis redis = TestServices.redis();
        System.out.printf("genq benchmark: %d jobs per row, latencies %s s, PostgreSQL: %s; each row in a JVM of its own%n", settings.jobs(),
            settings.latencies(), first.origin());
        if (!Autoanalyze.serverAnalyzes(first)) {
            System.out.println("PostgreSQL's autovacuum is off: genq's rows ANALYZE its tables every 30 s, as autoanalyze would");
        }
        if (settings.warmup() > 0) {
            System.out.printf("warm-up, not measured: rounds of %d jobs at 0 s latency per row until JIT compiling takes under %.0f%% of its"
                + " JVM's CPU while a round's jobs run (or under %.1f s), %d rounds at most%n", settings.warmup(), QUIET_JIT_SHARE * 100,
                TOO_LITTLE_JIT_NANOS / 1e9, settings.maxRounds());
        }
        List<Result> results = new ArrayList<>();
        List<String> warmUps = new ArrayList<>();
        for (int latency : settings.latencies()) {
            for (String system : SYSTEMS) {
                if (settings.systems().contains(system)) {
                    RowRun run = inItsOwnJvm(system, latency, args, first, redis);
                    results.add(run.result());
                    if (run.warmUp() != null) {
                        warmUps.add(latency + " s row, " + run.warmUp());
                    }
                }
            }
        }
        String table = markdown(results, String.join(" ", args), warmUps);
        Files.writeString(settings.out(), table);
        return table;
    }

    /** What a row's JVM reports: its warm-up (null without one) and its row. */
    record RowRun(String warmUp, Result result) {
    }

    /**
     * Runs one row, a system at a latency, in a JVM of its own, on the same PostgreSQL and Redis, with
     * this JVM's options. In one JVM, the rows that ran before a row had trained the JIT compiler on
     * their own types and paths in the code they share (JobRunr, the JDBC driver, the pool, Jackson,
     * genq's own at another latency): genq's 2 s row took 1.47 ms of CPU per generation after the
     * other systems' rows and its own 0 s row, 1.27 ms after its 0 s row alone, and 1.03 ms after its
     * warm-up alone.
     */
    private static RowRun inItsOwnJvm(String system, int latency, String[] args, Postgres db, Redis redis) throws Exception {
        Path results = Files.createTempFile("genq-bench-" + system, ".json");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Benchmark.class.getName()));
        command.addAll(List.of(args));
        // the later of an option given twice counts
        command.addAll(List.of("--systems", system, "--latencies", Integer.toString(latency), "--" + RESULTS, results.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("GENQ_TEST_DATABASE_URL", db.jdbcUrl());
        builder.environment().put("GENQ_TEST_DATABASE_USER", db.user());
        builder.environment().put("GENQ_TEST_DATABASE_PASSWORD", db.password());
        builder.environment().put("GENQ_TEST_REDIS_URI", redis.uri());
        Process process = builder.start();
        Thread stop = new Thread(process::destroyForcibly); // should this run be stopped, so is the row's JVM
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("the JVM of the row " + system + " at " + latency + " s ended with exit code " + exit);
            }
            return JSON.readValue(results.toFile(), RowRun.class);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
            Files.deleteIfExists(results);
        }
    }

    private static RowRun runRow(String system, int latency, Settings settings) throws Exception {
        Map<String, String> options = settings.options();
        int jobs = settings.jobs();
        int warmup = settings.warmup();
        int maxRounds = settings.maxRounds();
        int clients = Integer.parseInt(options.getOrDefault("clients", "64"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "2000"));
        int outputBytes = (int) (Double.parseDouble(options.getOrDefault("output-kb", "2")) * 1024);
        Redis redis = TestServices.redis();
        Path store = s3Store((long) warmup * maxRounds * WARMUP_OUTPUT_BYTES + (long) jobs * outputBytes, (long) warmup * maxRounds + jobs);
        S3 s3 = TestServices.s3(store);
        String warmUp = warmup > 0 ? warmUp(system, warmup, maxRounds, concurrency, clients, redis, s3) : null;
        Result r = run(system, jobs, latency * 1000L, concurrency, clients, outputBytes, redis, s3, true);
        if (system.equals("genq")) {
            r.with("S3Proxy's objects in", store.equals(RAM) ? "RAM (" + RAM + ")" : "files under " + store);
        }
        System.out.printf("  %-36s latency %2d s: %6d jobs in %7.1f s = %8.1f /s %s%n", r.system(), r.latencySeconds(),
            r.jobs(), r.seconds(), r.completionsPerSecond(), r.details());
        return new RowRun(warmUp, r);
    }

    /**
     * Where the embedded S3Proxy keeps a row's objects: in RAM when they fit in a quarter of it, else
     * on disk. In production S3 is a service of its own, and its disks are not the worker's cores;
     * here, on this machine's disk, S3Proxy's files, directories and extended attributes took a sixth
     * of the process's CPU (genq-only at 2 s the same hour: 818.6 and 888.5/s on disk, 976.1/s in RAM).
     */
    private static Path s3Store(long bytes, long objects) {
        long need = bytes + objects * STORE_OVERHEAD_BYTES;
        try {
            if (Files.isDirectory(RAM) && Files.getFileStore(RAM).getUsableSpace() / 4 > need) {
                return RAM;
            }
        } catch (IOException e) {
            // no usable RAM filesystem: disk
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Runs rounds of {@code jobs} at 0 s latency until the JIT compiler threads took under
     * {@link #QUIET_JIT_SHARE} of this process's CPU while the round's jobs ran (the system's start
     * and stop, which compile code of their own, are left out), or less than
     * {@link #TOO_LITTLE_JIT_NANOS}. A large application's warm code (genq's holds some 25,000
     * compiled methods: Micronaut, Netty, JobRunr, the AWS SDK, S3Proxy's Jetty) reaches C2 a few
     * hundred methods at a time over tens of thousands of jobs, and until it does, runs at C1's
     * profiling tier; a fixed warm-up had left C2 a quarter of the measured rows.
     * Returns the line that says what the warm-up took.
     */
    private static String warmUp(String system, int jobs, int maxRounds, int concurrency, int clients, Redis redis, S3 s3) throws Exception {
        String name = system;
        double first = 0;
        double last = 0;
        boolean quiet = false;
        int round = 0;
        while (round < maxRounds && !quiet) {
            round++;
            Result r = run(system, jobs, 0, concurrency, clients, WARMUP_OUTPUT_BYTES, redis, s3, false);
            last = r.cpu().jitShare();
            first = round == 1 ? last : first;
            quiet = last < QUIET_JIT_SHARE || r.cpu().jitNanos() < TOO_LITTLE_JIT_NANOS;
            name = r.system();
            System.out.printf("  warm-up %-28s round %2d: %6d jobs in %5.1f s, JIT compiling %4.1f%% of the CPU%n", r.system(), round,
                r.jobs(), r.seconds(), last * 100);
        }
        return String.format("%s: %d round%s of %d jobs, JIT compiling %.1f%% of the CPU in the first, %.1f%% in the last%s",
            name, round, round == 1 ? "" : "s", jobs, first * 100, last * 100, quiet ? "" : " (not quiet)");
    }

    private static Result run(String system, int jobs, long ms, int concurrency, int clients, int outputBytes, Redis redis, S3 s3,
                              boolean measured) throws Exception {
        return switch (system) {
            case "floor" -> PgFloor.run(TestServices.anotherDatabase(), jobs, ms, concurrency);
            case "defaults" -> BareJobRunr.run(TestServices.anotherDatabase(), jobs, ms, false);
            case "tuned" -> BareJobRunr.run(TestServices.anotherDatabase(), jobs, ms, true);
            case "submits" -> GenqEndToEnd.submitsAlone(TestServices.anotherDatabase(), redis, s3, jobs, ms, clients, measured);
            case "genq" -> GenqEndToEnd.run(TestServices.anotherDatabase(), redis, s3, jobs, ms, clients, outputBytes, measured);
            default -> throw new IllegalStateException("no system " + system);
        };
    }

    static String markdown(List<Result> results, String arguments, List<String> warmUps) {
        StringBuilder md = new StringBuilder();
        md.append("Command: `./genq bench ").append(arguments).append("` — ").append(Instant.now()).append(", ")
            .append(Runtime.getRuntime().availableProcessors()).append(" cores\n\n");
        if (!warmUps.isEmpty()) {
            md.append("Warm-up at 0 s latency, not measured:\n\n");
            warmUps.forEach(w -> md.append("- ").append(w).append('\n'));
            md.append('\n');
        }
        md.append("| latency | system | jobs | seconds | completions/s | × bare JobRunr tuned | × bare JobRunr defaults | details |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            Result tuned = baseline(results, r.latencySeconds(), "bare JobRunr, tuned");
            Result defaults = baseline(results, r.latencySeconds(), "bare JobRunr, defaults");
            md.append(String.format("| %d s | %s | %d | %.1f | %.1f | %s | %s | %s |%n", r.latencySeconds(), r.system(), r.jobs(), r.seconds(),
                r.completionsPerSecond(), ratio(r, tuned), ratio(r, defaults), details(r.details())));
        }
        return md.toString();
    }

    private static Result baseline(List<Result> results, int latency, String system) {
        return results.stream().filter(x -> x.latencySeconds() == latency && x.system().equals(system)).findFirst().orElse(null);
    }

    private static String ratio(Result r, Result baseline) {
        boolean completions = !r.system().equals(GenqEndToEnd.SUBMITS_ALONE); // that row counts submits, not completed jobs
        return baseline == null || !completions ? "–" : String.format("%.2f", r.completionsPerSecond() / baseline.completionsPerSecond());
    }

    private static String details(Map<String, String> details) {
        StringBuilder s = new StringBuilder();
        details.forEach((k, v) -> s.append(s.isEmpty() ? "" : "; ").append(k).append(": ").append(v));
        return s.toString();
    }
}
