package dev.genq.local;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jobrunr.server.BackgroundJobServer;

/** What end-to-end tests share: a paused worker, direct SQL for probing (and aging) rows, concurrency. */
final class Fixtures {
    private Fixtures() {
    }

    /** Runs {@code body} with the worker paused, so generations stay QUEUED until it returns. */
    static <T> T whilePaused(Callable<T> body) {
        BackgroundJobServer server = GenqStack.get().bean(BackgroundJobServer.class);
        server.pauseProcessing();
        try {
            return body.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            server.resumeProcessing();
        }
    }

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static <T> List<T> query(String sql, Row<T> row, Object... params) {
        try (Connection c = connection(); PreparedStatement ps = bind(c.prepareStatement(sql), params)) {
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(String sql, Object... params) {
        return query(sql, rs -> rs.getLong(1), params).getFirst();
    }

    static int update(String sql, Object... params) {
        try (Connection c = connection(); PreparedStatement ps = bind(c.prepareStatement(sql), params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Work<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code copies} of the work at once on virtual threads and returns their results in order. */
    static <T> List<T> concurrently(int copies, Work<T> work) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                int index = i;
                futures.add(pool.submit(() -> work.run(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    /** Waits until the generation's vendor task is recorded (its dispatch submitted it). */
    static void awaitTaskRecorded(String id) throws InterruptedException {
        java.time.Instant until = java.time.Instant.now().plusSeconds(30);
        while (count("SELECT count(*) FROM generation WHERE id = ? AND provider_task_id IS NOT NULL", java.util.UUID.fromString(id)) == 0) {
            if (java.time.Instant.now().isAfter(until)) {
                throw new AssertionError("the vendor task of generation " + id + " was not recorded within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static Connection connection() throws SQLException {
        return DelegatingDataSource.unwrapDataSource(GenqStack.get().bean(DataSource.class)).getConnection();
    }

    private static PreparedStatement bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
