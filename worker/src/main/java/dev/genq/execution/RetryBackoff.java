package dev.genq.execution;

import java.util.concurrent.ThreadLocalRandom;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.RetryFilter;

/**
 * JobRunr's exponential backoff (seed^failures seconds) with up to 50% random jitter, so jobs
 * that failed together during a vendor outage do not all come back in the same second.
 */
class RetryBackoff extends RetryFilter {
    RetryBackoff(int retries, int seedSeconds) {
        super(retries, seedSeconds);
    }

    @Override
    protected long getSecondsToAdd(Job job) {
        long base = super.getSecondsToAdd(job);
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
