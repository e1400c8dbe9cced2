package dev.genq.infra;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start when PostgreSQL will not vacuum genq's tables: the server's autovacuum is off, or
 * a table of genq's schema has it turned off. A generation's row gets a new version at every change
 * of state and a JobRunr job's at each of its own, so without vacuum those tables bloat, and
 * without autoanalyze their statistics go stale and the planner misjudges the partial indexes that
 * claims and polls rely on. genq runs on such a server, only slower as it goes.
 */
@Singleton
public class AutovacuumCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AutovacuumCheck.class);
    private final ConnectionOperations<Connection> connections;

    AutovacuumCheck(ConnectionOperations<Connection> connections) {
        this.connections = connections;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        try {
            problems().forEach(problem -> LOG.warn("{}: genq's tables will bloat and their statistics go stale;"
                + " turn it on (autovacuum = on in postgresql.conf, or ALTER TABLE ... RESET (autovacuum_enabled))", problem));
        } catch (RuntimeException e) {
            LOG.info("could not check PostgreSQL's autovacuum settings: {}", e.toString());
        }
    }

    /** What keeps autovacuum from genq's tables, a line each; empty when nothing does. */
    public List<String> problems() {
        return connections.executeRead(status -> {
            try {
                return problems(status.getConnection());
            } catch (SQLException e) {
                throw new DataAccessException(e.getMessage(), e);
            }
        });
    }

    private static List<String> problems(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")) {
                if (rs.next() && !on(rs.getString(1))) {
                    problems.add("PostgreSQL's autovacuum is off");
                }
            }
            try (ResultSet rs = s.executeQuery("""
                SELECT c.relname, o.option_value
                FROM pg_class c CROSS JOIN LATERAL pg_options_to_table(c.reloptions) o
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
                  AND o.option_name = 'autovacuum_enabled'
                ORDER BY c.relname""")) {
                while (rs.next()) {
                    if (!on(rs.getString(2))) {
                        problems.add("autovacuum is off for table " + rs.getString(1));
                    }
                }
            }
        }
        return problems;
    }

    /** A PostgreSQL boolean as the server reads one: on, 1, or any prefix of true or yes. */
    private static boolean on(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("on") || v.equals("1") || (!v.isEmpty() && ("true".startsWith(v) || "yes".startsWith(v)));
    }
}
