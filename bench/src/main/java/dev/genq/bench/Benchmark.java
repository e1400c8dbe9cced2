package dev.genq.bench;

import dev.genq.devkit.services.Postgres;
import dev.genq.devkit.services.Redis;
import dev.genq.devkit.services.S3;
import dev.genq.devkit.services.TestServices;
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
 * [--output-kb 2] [--warmup 3000]
 * [--out bench-results.md]}
 *
 * <p>For each provider latency, runs the floor, bare JobRunr with defaults, bare JobRunr tuned, genq's
 * API role alone (submits only) and genq end to end, one after another on the same PostgreSQL and Redis (the machine's when present,
 * else embedded), prints a table and writes it as markdown. Ratios to the baselines in the same run
 * are what count on a shared machine. Each system first runs {@code --warmup} jobs at 0 s latency,
 * not measured, so no row pays for the JIT compiling its code and all rows are measured alike.
 */
public final class Benchmark {
    private static final int WARMUP_OUTPUT_BYTES = 2048; // the code paths warm alike; large outputs only cost time
    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        List<Integer> latencies = Arrays.stream(options.getOrDefault("latencies", "0,2").split(",")).map(String::trim).map(Integer::valueOf).toList();
        int jobs = Integer.parseInt(options.getOrDefault("jobs", "2000"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "64"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "2000"));
        int outputBytes = (int) (Double.parseDouble(options.getOrDefault("output-kb", "2")) * 1024);
        List<String> systems = List.of(options.getOrDefault("systems", "floor,defaults,tuned,submits,genq").split(","));
        Path out = Path.of(options.getOrDefault("out", "bench-results.md"));
        Postgres first = TestServices.postgres();
        Redis redis = TestServices.redis();
        S3 s3 = TestServices.s3();
        System.out.printf("genq benchmark: %d jobs per row, latencies %s s, PostgreSQL: %s%n", jobs, latencies, first.origin());
        if (!Autoanalyze.serverAnalyzes(first)) {
            System.out.println("PostgreSQL's autovacuum is off: genq's rows ANALYZE its tables every 30 s, as autoanalyze would");
        }
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "3000"));
        if (warmup > 0) {
            System.out.printf("warm-up: %d jobs per system at 0 s latency, not measured%n", warmup);
            runAll(systems, warmup, 0, concurrency, clients, WARMUP_OUTPUT_BYTES, redis, s3, false);
        }
        List<Result> results = new ArrayList<>();
        for (int latency : latencies) {
            results.addAll(runAll(systems, jobs, latency * 1000L, concurrency, clients, outputBytes, redis, s3, true));
        }
        String table = markdown(results, String.join(" ", args));
        Files.writeString(out, table);
        System.out.println();
        System.out.println(table);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0); // the shutdown hook stops the servers the run started
    }

    private static List<Result> runAll(List<String> systems, int jobs, long ms, int concurrency, int clients, int outputBytes,
                                       Redis redis, S3 s3, boolean measured) throws Exception {
        List<Result> results = new ArrayList<>();
        if (systems.contains("floor")) {
            results.add(PgFloor.run(TestServices.anotherDatabase(), jobs, ms, concurrency));
        }
        if (systems.contains("defaults")) {
            results.add(BareJobRunr.run(TestServices.anotherDatabase(), jobs, ms, false));
        }
        if (systems.contains("tuned")) {
            results.add(BareJobRunr.run(TestServices.anotherDatabase(), jobs, ms, true));
        }
        if (systems.contains("submits")) {
            results.add(GenqEndToEnd.submitsAlone(TestServices.anotherDatabase(), redis, s3, jobs, ms, clients, measured));
        }
        if (systems.contains("genq")) {
            results.add(GenqEndToEnd.run(TestServices.anotherDatabase(), redis, s3, jobs, ms, clients, outputBytes, measured));
        }
        results.forEach(r -> report(r, measured));
        return results;
    }

    private static void report(Result r, boolean measured) {
        if (!measured) {
            System.out.printf("  warm-up %-28s %6d jobs in %7.1f s%n", r.system(), r.jobs(), r.seconds());
            return;
        }
        System.out.printf("  %-36s latency %2d s: %6d jobs in %7.1f s = %8.1f /s %s%n", r.system(), r.latencySeconds(), r.jobs(),
            r.seconds(), r.completionsPerSecond(), r.details());
    }

    static String markdown(List<Result> results, String arguments) {
        StringBuilder md = new StringBuilder();
        md.append("Command: `./genq bench ").append(arguments).append("` — ").append(Instant.now()).append(", ")
            .append(Runtime.getRuntime().availableProcessors()).append(" cores\n\n");
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

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
