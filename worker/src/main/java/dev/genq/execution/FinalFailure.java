package dev.genq.execution;

import dev.genq.generation.Generations;
import dev.genq.generation.RunGeneration;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When JobRunr gives up on a generation job (it kept throwing something that is not a provider
 * outcome, such as a database outage), the generation still ends FAILED and refunded instead of
 * staying RUNNING with its coins held. JobRunr applies FAILED before the retry policy reschedules,
 * so only a failure beyond the retry budget (permit waits aside) counts as final.
 */
class FinalFailure implements ApplyStateFilter {
    private static final Logger LOG = LoggerFactory.getLogger(FinalFailure.class);
    private final Generations generations;
    private final int retries;

    FinalFailure(Generations generations, int retries) {
        this.generations = generations;
        this.retries = retries;
    }

    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        if (newState.getName() != StateName.FAILED || job.getJobDetails().getJobParameters().isEmpty()
            || !(job.getJobDetails().getJobParameters().getFirst().getObject() instanceof RunGeneration run)) {
            return;
        }
        if (RetryPolicy.countedFailures(job) <= retries) {
            return;
        }
        try {
            generations.load(run.generationId())
                .filter(g -> !g.status().isTerminal())
                .ifPresent(g -> generations.fail(g, "internal_error", "genq could not run this generation; the coins were returned"));
        } catch (RuntimeException e) {
            LOG.error("could not fail generation {} after its job failed; the reservation expiry will refund it", run.generationId(), e);
        }
    }
}
