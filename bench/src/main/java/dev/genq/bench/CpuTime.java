package dev.genq.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time used so far by this process (genq with its harness: emulator, S3 server, clients), the
 * part of it its JIT compiler threads used, and that of the machine's PostgreSQL and Redis server
 * processes, read from Linux's /proc (zero where it cannot be read). A row's CPU per generation is
 * steadier than its rate on a shared machine: whatever else runs on the cores slows the rate but
 * takes no CPU time of these processes. The JIT share says whether a row measured compiled code:
 * compiling is a cost of the process's first minutes, not of each generation.
 */
record CpuTime(long processNanos, long jitNanos, long postgresNanos, long redisNanos) {
    /** /proc counts in clock ticks of 1/100 s (USER_HZ, 100 on every Linux architecture genq runs on). */
    private static final long TICK_NANOS = 10_000_000L;

    static CpuTime now() {
        long process = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        // HotSpot's compiler threads are named "C1 CompilerThread0" and so on; the kernel keeps 15 characters.
        long jit = ticksOf(Path.of("/proc/self/task"), name -> name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler"));
        long postgres = ticksOf(Path.of("/proc"), "postgres"::equals);
        long redis = ticksOf(Path.of("/proc"), name -> name.startsWith("redis-server"));
        return new CpuTime(process, jit * TICK_NANOS, postgres * TICK_NANOS, redis * TICK_NANOS);
    }

    /** User and system clock ticks of the processes (or threads) under {@code dir} whose name matches. */
    private static long ticksOf(Path dir, Predicate<String> name) {
        long ticks = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue; // it ended meanwhile
                }
                if (name.test(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable: the share stays zero
        }
        return ticks;
    }

    CpuTime since(CpuTime earlier) {
        return new CpuTime(processNanos - earlier.processNanos, jitNanos - earlier.jitNanos, postgresNanos - earlier.postgresNanos,
            redisNanos - earlier.redisNanos);
    }

    /** The part of this process's CPU its JIT compiler threads took. */
    double jitShare() {
        return processNanos == 0 ? 0 : (double) jitNanos / processNanos;
    }

    /** Milliseconds of CPU per unit of work: this process (of it, JIT compiling) / PostgreSQL / Redis. */
    String per(int units) {
        double n = Math.max(1, units) * 1e6;
        return String.format("%.2f (JIT %.2f) / %.2f / %.2f ms", processNanos / n, jitNanos / n, postgresNanos / n, redisNanos / n);
    }
}
