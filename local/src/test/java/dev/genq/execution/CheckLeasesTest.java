package dev.genq.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.account.AccountService;
import dev.genq.generation.Generation;
import dev.genq.generation.Generations;
import dev.genq.ledger.Ledger;
import dev.genq.local.GenqStack;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A finish that outlasts its check's lease keeps the check's time pushed out until it ends, and no longer. */
class CheckLeasesTest {
    private static final Duration LEASE = Duration.ofMillis(400);
    private final Generations generations = GenqStack.get().bean(Generations.class);
    private final CheckLeases leases = new CheckLeases(generations, LEASE, Clock.systemUTC());

    @Test
    void aHeldLeaseIsRenewedUntilReleased() throws Exception {
        Generation running = aRunningGenerationCheckedAt(Instant.now().plus(LEASE));

        try (CheckLeases.Held held = leases.hold(running)) {
            Thread.sleep(LEASE.toMillis() * 3);
            assertThat(nextCheckOf(running)).isAfter(Instant.now()); // without renewals it would be due by now
        }
        Thread.sleep(LEASE.toMillis() * 2);

        assertThat(nextCheckOf(running)).isBefore(Instant.now());
        assertThat(generations.fail(running, "test_done", "ends the test's generation")).isTrue();
    }

    /**
     * A RUNNING generation with its reservation and a check time but no vendor task, so neither the
     * stack's poller nor its JobRunr jobs touch it while the test watches its check time.
     */
    private Generation aRunningGenerationCheckedAt(Instant nextCheck) throws Exception {
        UUID account = GenqStack.get().bean(AccountService.class).open("check-leases-test", 100, "test").account().id();
        UUID id = UUID.randomUUID();
        DataSource db = DelegatingDataSource.unwrapDataSource(GenqStack.get().bean(DataSource.class));
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
            INSERT INTO generation (id, account_id, model, inputs, units, price_coins, status, attempts, next_check_at, started_at)
            VALUES (?, ?, 'emu-image', '{}', 1, 10, 'RUNNING', 1, ?, now())""")) {
            s.setObject(1, id);
            s.setObject(2, account);
            s.setTimestamp(3, Timestamp.from(nextCheck));
            s.executeUpdate();
        }
        GenqStack.get().bean(Ledger.class).reserve(id, account, 10, Instant.now().plusSeconds(3600));
        return generations.load(id).orElseThrow();
    }

    private Instant nextCheckOf(Generation g) {
        return generations.load(g.id()).orElseThrow().nextCheckAt();
    }
}
