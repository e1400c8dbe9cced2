package dev.genq.execution;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;

/**
 * Replaces JobRunr's retry filter for genq's jobs. A job that threw is retried after
 * seed^failures seconds plus up to 50% jitter (so jobs that failed together in an outage do not
 * return together), or after the vendor's Retry-After when that is longer. Waiting for a provider
 * permit is no failure: such a job comes back in a few seconds and its retries stay untouched.
 */
class RetryPolicy implements ElectStateFilter {
    private static final Pattern RETRY_AFTER = Pattern.compile("retry-after=(\\d+)s");
    static final long PERMIT_WAIT_SECONDS = 2;

    private final int retries;
    private final int seedSeconds;

    RetryPolicy(int retries, int seedSeconds) {
        this.retries = retries;
        this.seedSeconds = seedSeconds;
    }

    @Override
    public void onStateElection(Job job, JobState newState) {
        if (!(newState instanceof FailedState failed) || failed.mustNotRetry()) {
            return;
        }
        if (isPermitWait(failed)) {
            job.scheduleAt(Instant.now().plusSeconds(PERMIT_WAIT_SECONDS + ThreadLocalRandom.current().nextLong(3)),
                "waiting for a provider permit");
            return;
        }
        long failures = countedFailures(job);
        if (failures > retries) {
            return; // stays FAILED; FinalFailure ends the generation
        }
        job.scheduleAt(Instant.now().plusSeconds(delaySeconds(failures, failed.getExceptionMessage())),
            "Retry " + failures + " of " + retries);
    }

    /** Failures that count against the retry budget: all but permit waits. */
    static long countedFailures(Job job) {
        return job.getJobStates().stream()
            .filter(s -> s instanceof FailedState f && !isPermitWait(f))
            .count();
    }

    long delaySeconds(long failures, String exceptionMessage) {
        long base = (long) Math.pow(seedSeconds, failures);
        long backoff = base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        Matcher m = RETRY_AFTER.matcher(exceptionMessage == null ? "" : exceptionMessage);
        return m.find() ? Math.max(backoff, Long.parseLong(m.group(1))) : backoff;
    }

    private static boolean isPermitWait(FailedState failed) {
        return PermitUnavailable.class.getName().equals(failed.getExceptionType());
    }
}
