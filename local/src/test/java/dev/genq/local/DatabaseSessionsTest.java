package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What genq's own PostgreSQL sessions run with, from the defaults file every role reads. */
class DatabaseSessionsTest {

    @Test
    void aSessionPausedInsideATransactionIsEndedByPostgresqlSoItsLocksDoNotHoldForever() throws Exception {
        // the pool's own data source: one of genq's sessions, outside any transaction of genq's
        try (Connection c = DelegatingDataSource.unwrapDataSource(GenqStack.get().bean(DataSource.class)).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("15s");
        }
    }
}
