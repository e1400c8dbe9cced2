package dev.genq.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used so far by this process (genq with its harness: emulator, S3 server, clients) and
 * by the machine's PostgreSQL and Redis server processes, read from Linux's /proc (zero where it
 * cannot be read). A row's CPU per generation is steadier than its rate on a shared machine:
 * whatever else runs on the cores slows the rate but takes no CPU time of these processes.
 */
record CpuTime(long processNanos, long postgresNanos, long redisNanos) {
    /** /proc counts in clock ticks of 1/100 s (USER_HZ, 100 on every Linux architecture genq runs on). */
    private static final long TICK_NANOS = 10_000_000L;

    static CpuTime now() {
        long process = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long postgres = 0;
        long redis = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue; // the process ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
                if (name.equals("postgres")) {
                    postgres += ticks * TICK_NANOS;
                } else if (name.startsWith("redis-server")) {
                    redis += ticks * TICK_NANOS;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable: the servers' share stays zero
        }
        return new CpuTime(process, postgres, redis);
    }

    CpuTime since(CpuTime earlier) {
        return new CpuTime(processNanos - earlier.processNanos, postgresNanos - earlier.postgresNanos, redisNanos - earlier.redisNanos);
    }

    /** Milliseconds of CPU per unit of work: this process / PostgreSQL / Redis. */
    String per(int units) {
        double n = Math.max(1, units) * 1e6;
        return String.format("%.2f / %.2f / %.2f ms", processNanos / n, postgresNanos / n, redisNanos / n);
    }
}
