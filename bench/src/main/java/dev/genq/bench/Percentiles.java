package dev.genq.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations in milliseconds. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] valuesMs) {
        this.sorted = valuesMs.clone();
        Arrays.sort(sorted);
    }

    long at(double percentile) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    String summary(double... percentiles) {
        StringBuilder out = new StringBuilder();
        for (double p : percentiles) {
            out.append(out.isEmpty() ? "" : " / ").append(at(p));
        }
        return out + " ms";
    }
}
