package dev.genq.bench;

import dev.genq.devkit.services.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Where the PostgreSQL server runs with autovacuum off, ANALYZEs genq's busy tables every 30 s while
 * a row runs, as autovacuum's autoanalyze would on a server configured for production. Without
 * statistics the planner takes every status to be rare (a fixed 0.5%), and with 20,000 RUNNING
 * generations it joined batch writes to all of them instead of looking each row up. A few commits
 * per run, against tens of thousands of generations, are left in the commit count.
 */
final class Autoanalyze implements AutoCloseable {
    private static final Duration EVERY = Duration.ofSeconds(30);
    private final Thread thread;

    private Autoanalyze(Thread thread) {
        this.thread = thread;
    }

    /** Starts analyzing if the server does not, else does nothing. */
    static Autoanalyze ifServerDoesNot(Postgres db) throws SQLException {
        return new Autoanalyze(serverAnalyzes(db) ? null : Thread.ofVirtual().name("bench-autoanalyze").start(() -> analyzeUntilInterrupted(db)));
    }

    /** Whether the server's autovacuum is on (and with it autoanalyze). */
    static boolean serverAnalyzes(Postgres db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW autovacuum")) {
            rs.next();
            return rs.getString(1).equals("on");
        }
    }

    private static void analyzeUntilInterrupted(Postgres db) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password()); Statement s = c.createStatement()) {
            while (true) {
                Thread.sleep(EVERY);
                s.execute("ANALYZE generation, ledger_transfer, wallet, jobrunr_jobs");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            System.err.println("autoanalyze stand-in stopped: " + e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }
}
