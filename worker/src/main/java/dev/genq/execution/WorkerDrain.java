package dev.genq.execution;

import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's drain when it is stopped (SIGTERM, a rolling update, a scale-in): at once it takes no
 * new job and claims no new check, then waits for the jobs and checks it holds to end. Micronaut
 * waits for this within {@code micronaut.lifecycle.graceful-shutdown.grace-period}
 * ({@code GENQ_DRAIN_GRACE}) and reports the node not ready meanwhile; what is still running after
 * it is handed back as the node stops ({@link TaskPoller} and {@link CheckLeases} release their
 * checks' leases, so another worker takes them at once; a job JobRunr stops is run again elsewhere).
 */
@Singleton
class WorkerDrain implements GracefulShutdownCapable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerDrain.class);
    private final BackgroundJobServer jobs;
    private final TaskPoller poller;

    WorkerDrain(BackgroundJobServer jobs, TaskPoller poller) {
        this.jobs = jobs;
        this.poller = poller;
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        LOG.info("draining: {} job(s) and {} check(s) in flight; no new ones taken", runningJobs(), poller.checksInFlight());
        poller.stopClaiming();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Thread.ofVirtual().name("genq-drain").start(() -> {
            // JobRunr's pause takes no new job and waits for the running ones (as long as the grace, see JobServer).
            if (jobs instanceof PromptJobServer prompt) {
                prompt.stopTaking();
            } else {
                jobs.pauseProcessing();
            }
            while (poller.checksInFlight() > 0) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    break;
                }
            }
            drained.complete(null);
        });
        return drained;
    }

    @Override
    public OptionalLong reportActiveTasks() {
        return OptionalLong.of(busy());
    }

    private long busy() {
        return runningJobs() + poller.checksInFlight();
    }

    private int runningJobs() {
        return jobs.getJobSteward() == null ? 0 : jobs.getJobSteward().getOccupiedWorkerCount();
    }
}
