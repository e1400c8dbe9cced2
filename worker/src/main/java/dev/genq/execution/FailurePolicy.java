package dev.genq.execution;

import dev.genq.catalog.Catalog;
import dev.genq.generation.Generation;
import dev.genq.generation.RunGeneration;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.provider.ProviderException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a failure is tried again, and when. Its three inputs are
 * {@link RetryConfig}, a model's {@code maxAttempts} and what {@link ProviderException} says.
 *
 * <ul>
 * <li>A submit the vendor failed is retried while it is retryable and the generation has attempts
 *     left ({@link #retriesSubmit}); the job then throws and JobRunr runs it again. A check that
 *     failed retryably is asked again later ({@link #retriesCheck}). Anything else settles.
 * <li>As JobRunr's state filter it replaces JobRunr's own retries for genq's jobs: a job that threw
 *     runs again after seed^failures seconds plus up to 50% jitter (jobs that failed together in an
 *     outage do not return together), or after the vendor's Retry-After when that is longer. Waiting
 *     for a provider permit is no failure: such a job comes back in a few seconds, its budget untouched.
 * <li>A job that exhausted {@code job-retries} (it kept failing for a reason that is not a vendor
 *     answer, such as a database outage) still ends its generation FAILED and refunded, rather than
 *     leaving it RUNNING with its coins held.
 * </ul>
 */
@Singleton
class FailurePolicy implements ElectStateFilter, ApplyStateFilter {
    private static final Logger LOG = LoggerFactory.getLogger(FailurePolicy.class);
    static final long PERMIT_WAIT_SECONDS = 2;

    private final int maxAttempts;
    private final int jobRetries;
    private final Backoff backoff;
    private final Catalog catalog;
    private final TaskChecks checks;
    private final Settlement settlement;

    FailurePolicy(RetryConfig config, Catalog catalog, TaskChecks checks, Settlement settlement) {
        this.maxAttempts = config.getMaxAttempts();
        this.jobRetries = config.getJobRetries();
        this.backoff = new Backoff(config.getBackoffSeedSeconds());
        this.catalog = catalog;
        this.checks = checks;
        this.settlement = settlement;
    }

    /** Whether a failed submit is tried again: retryable, and the generation has attempts left. */
    boolean retriesSubmit(Generation running, ProviderException e) {
        return e.retryable() && running.attempts() < maxAttempts(running);
    }

    /** Whether a failed check of a running task (or the store of its outputs) is tried again, later. */
    boolean retriesCheck(ProviderException e) {
        return e.retryable();
    }

    private int maxAttempts(Generation generation) {
        Integer modelMax = catalog.model(generation.model()).maxAttempts();
        return modelMax == null ? maxAttempts : Math.min(modelMax, maxAttempts);
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
        if (failures > jobRetries) {
            return; // stays FAILED: onStateApplied ends the generation
        }
        job.scheduleAt(Instant.now().plusSeconds(backoff.delaySeconds(failures, retryAfterOf(failed))),
            "Retry " + failures + " of " + jobRetries);
    }

    /** JobRunr applies FAILED before the election above reschedules, so only a failure beyond the budget is final. */
    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        if (newState.getName() != StateName.FAILED || job.getJobDetails().getJobParameters().isEmpty()
            || !(job.getJobDetails().getJobParameters().getFirst().getObject() instanceof RunGeneration run)
            || countedFailures(job) <= jobRetries) {
            return;
        }
        try {
            checks.load(run.generationId())
                .filter(g -> !g.status().isTerminal())
                .ifPresent(g -> settlement.fail(g, "internal_error", "genq could not run this generation; the coins were returned"));
        } catch (RuntimeException e) {
            LOG.error("could not fail generation {} after its job failed; the reservation expiry will refund it", run.generationId(), e);
        }
    }

    /** Failures that count against the budget: all but permit waits. */
    private static long countedFailures(Job job) {
        return job.getJobStates().stream().filter(s -> s instanceof FailedState f && !isPermitWait(f)).count();
    }

    /** seed^failures seconds plus up to half again of jitter, or the vendor's Retry-After when that is longer. */
    record Backoff(int seedSeconds) {
        long delaySeconds(long failures, @Nullable Duration retryAfter) {
            long base = (long) Math.pow(seedSeconds, failures);
            long delay = base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
            return retryAfter == null ? delay : Math.max(delay, retryAfter.toSeconds());
        }
    }

    /** The vendor's Retry-After, from the exception the failed run threw (JobRunr keeps it on the state it just made). */
    static @Nullable Duration retryAfterOf(FailedState failed) {
        Throwable e;
        try {
            e = failed.getException();
        } catch (RuntimeException unrebuildable) {
            return null; // a state read back from storage whose exception JobRunr cannot rebuild
        }
        for (; e != null; e = e.getCause()) {
            if (e instanceof ProviderException p) {
                return p.retryAfter();
            }
        }
        return null;
    }

    private static boolean isPermitWait(FailedState failed) {
        return PermitUnavailable.class.getName().equals(failed.getExceptionType());
    }
}
