package dev.genq.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the table: a system at a latency, how many jobs it completed in how long, the CPU
 * used over those seconds (which tells a warm-up when the JIT compiler is quiet), and the system's
 * own extra figures.
 */
record Result(String system, int latencySeconds, int jobs, double seconds, CpuTime cpu, Map<String, String> details) {

    Result(String system, int latencySeconds, int jobs, double seconds, CpuTime cpu) {
        this(system, latencySeconds, jobs, seconds, cpu, new LinkedHashMap<>());
    }

    double completionsPerSecond() {
        return jobs / seconds;
    }

    Result with(String figure, String value) {
        details.put(figure, value);
        return this;
    }

    /** A baseline's CPU per job, to set beside genq's per generation: what each costs the same cores. */
    Result withCpuPerJob() {
        return with("CPU per job (this process (of it JIT compiling) / PostgreSQL / Redis)", cpu.per(jobs));
    }
}
