package dev.genq.queue;

import static dev.genq.support.AtOnce.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.generation.RunGeneration;
import dev.genq.support.StorageContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Test;

/**
 * genq's JobRunr storage: rows written with the job's own getters (not JobRunr's reflection), and
 * SUCCEEDED saves batched across jobs, where a job changed by another writer must lose alone.
 */
class JobStorageTest {
    private final StorageProvider storage = StorageContext.get().getBean(StorageProvider.class);
    private final JobRequestScheduler scheduler = StorageContext.get().getBean(JobRequestScheduler.class);
    private final DataSource db = DelegatingDataSource.unwrapDataSource(StorageContext.get().getBean(DataSource.class));

    private record Row(int version, String state, Instant createdAt, Instant updatedAt) {
    }

    @Test
    void jobsEnqueuedTogetherAreStoredWithTheirOwnColumns() throws Exception {
        List<UUID> ids = enqueue(20);

        Map<UUID, Row> rows = rows(ids);

        assertThat(rows).hasSize(20);
        for (UUID id : ids) {
            Job job = storage.getJobById(id);
            assertThat(rows.get(id)).isEqualTo(new Row(1, "ENQUEUED", micros(job.getCreatedAt()), micros(job.getUpdatedAt())));
            assertThat(job.getJobDetails().getJobParameters().getFirst().getObject()).isEqualTo(new RunGeneration(id, "emu-image", null));
        }
    }

    @Test
    void successesSavedAtOnceAreAllWritten() throws Exception {
        List<UUID> ids = enqueue(30);
        List<Job> jobs = new ArrayList<>();
        for (UUID id : ids) {
            Job job = storage.getJobById(id);
            Thread.sleep(1); // the SUCCEEDED row's updatedAt must differ from its createdAt
            jobs.add(job.succeeded());
        }

        List<Job> saved = all(jobs.stream().<Callable<Job>>map(j -> () -> storage.save(j)).toList());

        assertThat(saved).containsExactlyElementsOf(jobs);
        Map<UUID, Row> rows = rows(ids);
        for (Job job : jobs) {
            assertThat(job.getVersion()).isEqualTo(2);
            assertThat(rows.get(job.getId())).isEqualTo(new Row(2, "SUCCEEDED", micros(job.getCreatedAt()), micros(job.getUpdatedAt())));
            assertThat(storage.getJobById(job.getId()).getState()).isEqualTo(StateName.SUCCEEDED);
        }
        assertThat(rows.values()).allSatisfy(r -> assertThat(r.updatedAt()).isAfter(r.createdAt()));
    }

    @Test
    void aJobChangedMeanwhileLosesItsSuccessAloneAndKeepsItsVersion() throws Exception {
        List<UUID> ids = enqueue(21);
        Job stale = storage.getJobById(ids.getFirst());
        storage.save(storage.getJobById(ids.getFirst()).delete("deleted by another writer"));
        List<Job> others = new ArrayList<>();
        for (UUID id : ids.subList(1, ids.size())) {
            others.add(storage.getJobById(id).succeeded());
        }
        stale.succeeded();
        List<Callable<Object>> saves = new ArrayList<>();
        saves.add(() -> {
            assertThatThrownBy(() -> storage.save(stale)).isInstanceOf(ConcurrentJobModificationException.class);
            return null;
        });
        others.forEach(j -> saves.add(() -> storage.save(j)));

        all(saves);

        assertThat(stale.getVersion()).isEqualTo(1);
        Map<UUID, Row> rows = rows(ids);
        assertThat(rows.get(stale.getId()).state()).isEqualTo("DELETED");
        assertThat(others).allSatisfy(j -> assertThat(rows.get(j.getId()).state()).isEqualTo("SUCCEEDED"));
    }

    private List<UUID> enqueue(int count) {
        List<UUID> ids = IntStream.range(0, count).mapToObj(i -> UUID.randomUUID()).toList();
        scheduler.create(ids.stream().map(id -> JobBuilder.aJob().withId(id).withName("job-storage-test")
            .withJobRequest(new RunGeneration(id, "emu-image", null))));
        return ids;
    }

    private Map<UUID, Row> rows(List<UUID> ids) throws Exception {
        Map<UUID, Row> rows = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
            SELECT id, version, state, createdAt, updatedAt FROM jobrunr_jobs WHERE id = ANY (?::bpchar[])""")) {
            s.setArray(1, c.createArrayOf("text", ids.stream().map(UUID::toString).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(UUID.fromString(rs.getString(1)), new Row(rs.getInt(2), rs.getString(3),
                        rs.getTimestamp(4).toLocalDateTime().toInstant(ZoneOffset.UTC), rs.getTimestamp(5).toLocalDateTime().toInstant(ZoneOffset.UTC)));
                }
            }
        }
        return rows;
    }

    /** JobRunr stores UTC wall-clock times, rounded to microseconds. */
    private static Instant micros(Instant instant) {
        return instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }
}
