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

/**
 * A JobRunr background job server that can be told to fetch work now. JobRunr fetches when its
 * poll comes (every 5 s at the least on SQL) or when a worker frees up; a generation submitted to
 * an idle cluster would wait for the poll. {@link #wake()} runs JobRunr's own onboarding task (the
 * one the poll runs, under its lock), at most once per {@link #MIN_GAP_MS} however many wakes come.
 */
class PromptJobServer extends BackgroundJobServer {
    private static final long MIN_GAP_MS = 20;
    private final Semaphore wakes = new Semaphore(0);
    private volatile boolean open = true;

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

    @Override
    public void stop() {
        open = false;
        super.stop();
    }

    private void onboardOnWake() {
        while (open) {
            try {
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

    private static final class Steward extends JobSteward {
        Steward(BackgroundJobServer server) {
            super(server);
        }

        void onboardNow() {
            getTaskOfType(OnboardNewWorkTask.class).runTaskThreadSafe();
        }
    }
}
