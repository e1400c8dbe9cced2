package dev.genq.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.support.StorageContext;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The startup check on the real PostgreSQL: a genq table with autovacuum turned off is named, one with it on is not. */
class AutovacuumCheckTest {
    private final AutovacuumCheck check = StorageContext.get().getBean(AutovacuumCheck.class);
    private final JdbcOperations jdbc = StorageContext.get().getBean(JdbcOperations.class);

    @ParameterizedTest
    @ValueSource(strings = {"off", "false", "0", "no", "f"})
    void aTableWithAutovacuumTurnedOffIsNamed(String off) {
        try {
            alter("SET (autovacuum_enabled = " + off + ")");
            assertThat(check.problems()).contains("autovacuum is off for table idempotency_key");
        } finally {
            alter("RESET (autovacuum_enabled)");
        }
        assertThat(check.problems()).noneMatch(p -> p.contains("idempotency_key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"on", "true", "1", "yes", "t"})
    void aTableWithAutovacuumTurnedOnIsNotNamed(String on) {
        try {
            alter("SET (autovacuum_enabled = " + on + ")");
            assertThat(check.problems()).noneMatch(p -> p.contains("idempotency_key"));
        } finally {
            alter("RESET (autovacuum_enabled)");
        }
    }

    private void alter(String change) {
        jdbc.execute(c -> c.createStatement().execute("ALTER TABLE idempotency_key " + change));
    }
}
