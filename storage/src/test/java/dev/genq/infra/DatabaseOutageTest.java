package dev.genq.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.connection.exceptions.ConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are PostgreSQL being away (503, wait it out) and which are genq's own (500). */
class DatabaseOutageTest {

    @Test
    void failuresToReachOrKeepAConnectionAreAnOutage() {
        assertThat(DatabaseOutage.isCause(new IllegalStateException(new SQLTransientConnectionException("pool timed out")))).isTrue();
        assertThat(DatabaseOutage.isCause(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(DatabaseOutage.isCause(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(DatabaseOutage.isCause(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        // what a pooled connection the server closed during a restart fails with, as the api saw it in the cluster test
        assertThat(DatabaseOutage.isCause(new ConnectionException("Could not set JDBC Connection read-only: Connection is closed",
            new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aWrongStatementOrABugIsNoOutage() {
        assertThat(DatabaseOutage.isCause(new SQLException("syntax error at or near", "42601"))).isFalse();
        assertThat(DatabaseOutage.isCause(new SQLException("duplicate key value", "23505"))).isFalse();
        assertThat(DatabaseOutage.isCause(new NullPointerException())).isFalse();
        assertThat(DatabaseOutage.isCause(new SQLException("Connection is closed"))).as("no state, no connection exception").isFalse();
    }
}
