package dev.genq.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.genq.devkit.services.Postgres;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The physical reference: the least a PostgreSQL-backed queue must do per job. Jobs are inserted,
 * claimed in batches with {@code FOR UPDATE SKIP LOCKED}, each waits the provider latency on a
 * virtual thread (at most {@code concurrency} at once), and completions are written back in batches.
 */
final class PgFloor {
    private static final int BATCH = 200;

    private PgFloor() {
    }

    static Result run(Postgres db, int jobs, long latencyMs, int concurrency) throws Exception {
        try (HikariDataSource ds = pool(db, 8)) {
            try (Connection c = ds.getConnection()) {
                c.createStatement().execute("""
                    CREATE TABLE floor_job (id bigserial PRIMARY KEY, state smallint NOT NULL DEFAULT 0, payload text NOT NULL);
                    CREATE INDEX floor_job_ready ON floor_job (id) WHERE state = 0""");
            }
            CpuTime cpuBefore = CpuTime.now();
            long start = System.nanoTime();
            try (Connection c = ds.getConnection();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO floor_job (payload) SELECT 'job ' || g FROM generate_series(1, ?) g")) {
                for (int left = jobs; left > 0; left -= 1000) {
                    insert.setInt(1, Math.min(1000, left));
                    insert.executeUpdate();
                }
            }
            AtomicInteger done = new AtomicInteger();
            BlockingQueue<Long> finished = new LinkedBlockingQueue<>();
            Semaphore room = new Semaphore(concurrency);
            try (ExecutorService waits = Executors.newVirtualThreadPerTaskExecutor()) {
                Thread claimer = Thread.ofPlatform().name("floor-claimer").start(() -> claim(ds, room, waits, finished, latencyMs, jobs));
                Thread completer = Thread.ofPlatform().name("floor-completer").start(() -> complete(ds, finished, done, jobs));
                completer.join();
                claimer.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result("floor: PostgreSQL SKIP LOCKED queue", (int) (latencyMs / 1000), jobs, seconds, CpuTime.now().since(cpuBefore))
                .with("concurrency", Integer.toString(concurrency))
                .withCpuPerJob();
        }
    }

    private static void claim(HikariDataSource ds, Semaphore room, ExecutorService waits, BlockingQueue<Long> finished,
                              long latencyMs, int jobs) {
        int claimed = 0;
        try (Connection c = ds.getConnection(); PreparedStatement take = c.prepareStatement(
            "UPDATE floor_job SET state = 1 WHERE id IN (SELECT id FROM floor_job WHERE state = 0 ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id")) {
            while (claimed < jobs) {
                room.acquire();
                int free = 1 + room.drainPermits();
                int want = Math.min(free, BATCH);
                take.setInt(1, want);
                int got = 0;
                try (ResultSet rs = take.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        got++;
                        waits.submit(() -> {
                            WaitingJobs.waitFor(latencyMs);
                            finished.add(id);
                            room.release();
                            return null;
                        });
                    }
                }
                claimed += got;
                room.release(free - got); // the room this batch did not fill
                if (got == 0) {
                    Thread.sleep(10);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("floor claimer failed", e);
        }
    }

    private static void complete(HikariDataSource ds, BlockingQueue<Long> finished, AtomicInteger done, int jobs) {
        try (Connection c = ds.getConnection();
             PreparedStatement mark = c.prepareStatement("UPDATE floor_job SET state = 2 WHERE id = ANY (?)")) {
            List<Long> batch = new ArrayList<>();
            while (done.get() < jobs) {
                Long first = finished.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                finished.drainTo(batch, 999);
                Array ids = c.createArrayOf("bigint", batch.toArray());
                mark.setArray(1, ids);
                mark.executeUpdate();
                done.addAndGet(batch.size());
                batch.clear();
            }
        } catch (Exception e) {
            throw new IllegalStateException("floor completer failed", e);
        }
    }

    static HikariDataSource pool(Postgres db, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }
}
