package dev.genq.queue;

import dev.genq.infra.BatchedCalls;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.StorageException;
import org.jobrunr.storage.sql.common.JobTable;
import org.jobrunr.storage.sql.common.db.Transaction;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * JobRunr's PostgreSQL storage with two changes for throughput, both inside JobRunr's own statements:
 * <ul>
 *   <li>a job's id, state and timestamps are read through their getters; JobRunr otherwise looks
 *       each one up by reflection, by name, for every job it writes (a profile put the lookups
 *       above the job's JSON serialisation);</li>
 *   <li>the SUCCEEDED save a worker makes as each job ends is written for all jobs ending at that
 *       moment in one transaction (one batched statement and one commit instead of one each). A job
 *       changed meanwhile by another writer fails only its own save, with JobRunr's
 *       {@link ConcurrentJobModificationException}, as a lone save would.</li>
 * </ul>
 */
class JobStorage extends PostgresStorageProvider {
    private static final int MAX_BATCH = 200;
    private final BatchedCalls<Job, Boolean> successes = new BatchedCalls<>("genq-job-successes", MAX_BATCH, Job::getId, this::saveAll);

    JobStorage(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected JobTable jobTable(Connection connection) {
        JobTable table = super.jobTable(connection);
        table.with("id", (Function<Job, Object>) Job::getId);
        table.with("state", (Function<Job, Object>) Job::getState);
        table.with("createdAt", (Function<Job, Object>) Job::getCreatedAt);
        table.with("updatedAt", (Function<Job, Object>) Job::getUpdatedAt);
        return table;
    }

    @Override
    public Job save(Job job) {
        if (!job.hasState(StateName.SUCCEEDED) || job.getVersion() == 0) {
            return super.save(job);
        }
        if (!successes.call(job)) {
            throw new ConcurrentJobModificationException(job);
        }
        return job;
    }

    /** Saves existing jobs in one transaction; answers, per job, whether its save won (false: changed by another writer). */
    private List<Boolean> saveAll(List<Job> jobs) {
        try (Connection connection = dataSource.getConnection(); Transaction transaction = new Transaction(connection)) {
            Set<UUID> lost = Set.of();
            try {
                jobTable(connection).save(jobs);
            } catch (ConcurrentJobModificationException e) {
                // the other rows of the batch are written; JobRunr kept the lost jobs' versions as they were
                lost = e.getConcurrentUpdatedJobs().stream().map(Job::getId).collect(Collectors.toSet());
            }
            transaction.commit();
            notifyJobStatsOnChangeListeners();
            Set<UUID> refused = lost;
            return jobs.stream().map(j -> !refused.contains(j.getId())).toList();
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    @Override
    public void close() {
        successes.close();
        super.close();
    }
}
