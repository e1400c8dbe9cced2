package dev.genq.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.genq.devkit.services.Postgres;
import java.time.Duration;
import java.util.stream.IntStream;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * What a user would build first: JobRunr on PostgreSQL, one job per generation that holds its worker
 * while the vendor works. With its defaults, and tuned (2,000 virtual-thread workers, 5 s poll).
 */
final class BareJobRunr {
    static final int TUNED_WORKERS = 2_000;

    private BareJobRunr() {
    }

    static Result run(Postgres db, int jobs, long latencyMs, boolean tuned) throws Exception {
        try (HikariDataSource ds = PgFloor.pool(db, tuned ? 20 : 10)) {
            JacksonJsonMapper json = new JacksonJsonMapper();
            PostgresStorageProvider storage = new PostgresStorageProvider(ds);
            storage.setJobMapper(new JobMapper(json));
            BackgroundJobServerConfiguration configuration = BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration();
            if (tuned) {
                configuration = configuration.andPollInterval(Duration.ofSeconds(5)).andBackgroundJobServerWorkerPolicy(
                    new DefaultBackgroundJobServerWorkerPolicy(TUNED_WORKERS, BackgroundJobServerThreadType.VirtualThreads));
            }
            BackgroundJobServer server = new BackgroundJobServer(storage, json, noBeans(), configuration);
            server.start();
            try {
                JobScheduler scheduler = new JobScheduler(storage);
                CpuTime cpuBefore = CpuTime.now();
                long start = System.nanoTime();
                scheduler.enqueue(IntStream.range(0, jobs).boxed(), i -> WaitingJobs.waitFor(latencyMs));
                while (storage.getJobStats().getSucceeded() < jobs) {
                    Thread.sleep(100);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(tuned ? "bare JobRunr, tuned" : "bare JobRunr, defaults", (int) (latencyMs / 1000), jobs, seconds,
                    CpuTime.now().since(cpuBefore))
                    .with("workers", tuned ? TUNED_WORKERS + " virtual threads, 5 s poll" : "JobRunr's defaults")
                    .withCpuPerJob();
            } finally {
                server.stop();
                storage.close();
            }
        }
    }

    private static JobActivator noBeans() {
        return new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                return null; // jobs here are static methods
            }
        };
    }
}
