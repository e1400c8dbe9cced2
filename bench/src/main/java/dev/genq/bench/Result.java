package dev.genq.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One row of the table: a system at a latency, how many jobs it completed in how long, and its own extra figures. */
record Result(String system, int latencySeconds, int jobs, double seconds, Map<String, String> details) {

    Result(String system, int latencySeconds, int jobs, double seconds) {
        this(system, latencySeconds, jobs, seconds, new LinkedHashMap<>());
    }

    double completionsPerSecond() {
        return jobs / seconds;
    }

    Result with(String figure, String value) {
        details.put(figure, value);
        return this;
    }
}
