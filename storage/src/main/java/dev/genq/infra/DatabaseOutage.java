package dev.genq.infra;

import io.micronaut.data.connection.exceptions.ConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether a failure means PostgreSQL could not be reached (down, restarting, or no pooled connection
 * free in time) rather than that a statement was wrong: the one is an outage to wait out and report as
 * 503, the other genq's own fault.
 */
public final class DatabaseOutage {
    private DatabaseOutage() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // ConnectionException: the pool handed out a connection the server had closed (a restart), and preparing it failed
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof ConnectException || t instanceof ConnectionException) {
                return true;
            }
            // class 08: connection exceptions; 57P01-57P03: the server shut down, crashed, or is starting
            if (t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }
}
