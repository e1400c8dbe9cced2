package dev.genq.execution;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.JobSteward;
import org.jobrunr.server.tasks.steward.OnboardNewWorkTask;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JobRunr background job server that can be told to fetch work now. JobRunr fetches when its
 * poll comes (every 5 s at the least on SQL) or when a worker frees up; a generation submitted to
 * an idle cluster would wait for the poll. {@link #wake()} runs JobRunr's own onboarding task (the
 * one the poll runs, under its lock), at most once per {@link #MIN_GAP_MS} however many wakes come.
 *
 * <p>JobRunr stops its server for good when one heartbeat fails to reach the database; a worker
 * would then take no job again after a PostgreSQL restart. This one starts again instead.
 */
class PromptJobServer extends BackgroundJobServer {
    private static final Logger LOG = LoggerFactory.getLogger(PromptJobServer.class);
    private static final long MIN_GAP_MS = 20;
    private static final long RESTART_EVERY_MS = 5_000;
    private final Semaphore wakes = new Semaphore(0);
    private volatile boolean open = true;
    /** JobRunr stopped this server itself: it does that for good on any failed heartbeat, as when PostgreSQL restarts. */
    private volatile boolean stoppedByJobRunr;
    private long lastRestartMs;

    PromptJobServer(StorageProvider storage, JsonMapper jsonMapper, JobActivator activator, BackgroundJobServerConfiguration configuration) {
        super(storage, jsonMapper, activator, configuration);
        Thread.ofVirtual().name("genq-job-wake").start(this::onboardOnWake);
    }

    /** Fetch enqueued jobs soon; cheap and safe to call at any rate. */
    void wake() {
        wakes.release();
    }

    @Override
    protected JobSteward createJobSteward() {
        return new Steward(this);
    }

    /** Takes no new job from now on (a drain); the jobs running go on to their end. */
    void stopTaking() {
        open = false;
        pauseProcessing();
    }

    /** genq's own stop, for good (the context closes). */
    void shutDown() {
        open = false;
        super.stop();
    }

    /** JobRunr's: its zookeeper calls this when a heartbeat fails; the job server is started again once the database answers. */
    @Override
    public void stop() {
        super.stop();
        if (open) {
            stoppedByJobRunr = true;
        }
    }

    private void onboardOnWake() {
        while (open) {
            try {
                restartIfStoppedByJobRunr();
                if (!wakes.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                wakes.drainPermits();
                if (isRunning()) {
                    ((Steward) getJobSteward()).onboardNow();
                }
                Thread.sleep(MIN_GAP_MS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the regular poll reports storage trouble; a missed wake only costs latency
            }
        }
    }

    private void restartIfStoppedByJobRunr() {
        long now = System.currentTimeMillis();
        if (!stoppedByJobRunr || isRunning() || now - lastRestartMs < RESTART_EVERY_MS) {
            return;
        }
        lastRestartMs = now;
        LOG.warn("JobRunr stopped this worker's job server after a failed heartbeat (the database out of reach); starting it again");
        stoppedByJobRunr = false; // a start on a database still away is stopped again by JobRunr, which sets this again
        try {
            start();
        } catch (RuntimeException e) {
            stoppedByJobRunr = true;
            throw e;
        }
    }

    private static final class Steward extends JobSteward {
        Steward(BackgroundJobServer server) {
            super(server);
        }

        void onboardNow() {
            getTaskOfType(OnboardNewWorkTask.class).runTaskThreadSafe();
        }
    }
}
