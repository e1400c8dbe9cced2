package dev.genq.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.account.AccountService;
import dev.genq.generation.Generation;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.ledger.Ledger;
import dev.genq.support.StorageContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finishes that outlast their checks' leases keep the checks' times pushed out until they end, and no longer. */
class CheckLeasesTest {
    private static final Duration LEASE = Duration.ofMillis(400);
    private final TaskChecks checks = StorageContext.get().getBean(TaskChecks.class);
    private final Settlement settlement = StorageContext.get().getBean(Settlement.class);
    private final CheckLeases leases = new CheckLeases(checks, LEASE, Clock.systemUTC());

    @AfterEach
    void stopRenewals() {
        leases.stop();
    }

    @Test
    void heldLeasesAreRenewedUntilReleased() throws Exception {
        Generation first = aRunningGeneration();
        Generation second = aRunningGeneration();

        try (CheckLeases.Held heldSecond = leases.hold(second)) {
            try (CheckLeases.Held heldFirst = leases.hold(first)) {
                Thread.sleep(LEASE.toMillis() * 3);
                // without renewals both would be due by now
                assertThat(nextCheckOf(first)).isAfter(Instant.now());
                assertThat(nextCheckOf(second)).isAfter(Instant.now());
            }
            Thread.sleep(LEASE.toMillis() * 2);
            assertThat(nextCheckOf(first)).as("released").isBefore(Instant.now());
            assertThat(nextCheckOf(second)).as("still held").isAfter(Instant.now());
        }
        Thread.sleep(LEASE.toMillis() * 2);

        assertThat(nextCheckOf(second)).isBefore(Instant.now());
        end(first);
        end(second);
    }

    @Test
    void aLeaseHeldTwiceLastsUntilBothRelease() throws Exception {
        Generation running = aRunningGeneration();

        try (CheckLeases.Held outer = leases.hold(running)) {
            leases.hold(running).close();
            Thread.sleep(LEASE.toMillis() * 3);
            assertThat(nextCheckOf(running)).isAfter(Instant.now());
        }
        Thread.sleep(LEASE.toMillis() * 2);

        assertThat(nextCheckOf(running)).isBefore(Instant.now());
        end(running);
    }

    @Test
    void aStoppingWorkerHandsTheFinishesItStillHoldsBackAtOnce() throws Exception {
        Generation held = aRunningGeneration();
        Generation released = aRunningGeneration();
        CheckLeases stopping = new CheckLeases(checks, Duration.ofMinutes(10), Clock.systemUTC());
        stopping.hold(held);
        stopping.hold(released).close();
        checks.extendLeases(List.of(held.id(), released.id()), Instant.now().plusSeconds(600)); // as a renewal would

        stopping.stop();

        assertThat(nextCheckOf(held)).as("due now, for another worker").isBeforeOrEqualTo(Instant.now());
        assertThat(nextCheckOf(released)).as("not this worker's any more: left alone").isAfter(Instant.now().plusSeconds(500));
        end(held);
        end(released);
    }

    @Test
    void renewalsMoveOnlyGenerationsStillRunning() throws Exception {
        List<Generation> running = runningGenerations(5);
        Instant before = Instant.now();
        assertThat(checks.extendLeases(running.stream().map(Generation::id).toList(), before.plusSeconds(60))).isEqualTo(5);
        end(running.getFirst());

        // a generation no longer running is left alone
        assertThat(checks.extendLeases(running.stream().map(Generation::id).toList(), before.plusSeconds(120))).isEqualTo(4);
        for (Generation g : running.subList(1, running.size())) {
            assertThat(nextCheckOf(g)).isAfter(before.plusSeconds(119));
            end(g);
        }
    }

    @Test
    void concurrentReschedulesEachLandWithTheirOwnTime() throws Exception {
        List<Generation> running = runningGenerations(20);
        Instant base = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < running.size(); i++) {
                Generation g = running.get(i);
                Instant at = base.plusSeconds(i);
                pool.submit(() -> checks.scheduleCheck(g, at));
            }
        }

        for (int i = 0; i < running.size(); i++) {
            assertThat(nextCheckOf(running.get(i))).isEqualTo(base.plusSeconds(i));
            end(running.get(i));
        }
    }

    @Test
    void aRenewalSkipsARowAnotherTransactionIsWriting() throws Exception {
        Generation locked = aRunningGeneration();
        Generation free = aRunningGeneration();
        Instant before = nextCheckOf(locked);
        try (Connection other = database().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement s = other.prepareStatement("SELECT 1 FROM generation WHERE id = ? FOR UPDATE")) {
                s.setObject(1, locked.id());
                s.executeQuery().close();
            }
            // returns at once instead of waiting for the other transaction
            assertThat(checks.extendLeases(List.of(locked.id(), free.id()), Instant.now().plusSeconds(60))).isEqualTo(1);
            other.rollback();
        }

        assertThat(nextCheckOf(locked)).isEqualTo(before);
        assertThat(nextCheckOf(free)).isAfter(Instant.now().plusSeconds(59));
        end(locked);
        end(free);
    }

    /**
     * A RUNNING generation with its reservation and a check due a lease from now but no vendor
     * task, so no worker's poller would claim it while the test watches its check time.
     */
    private Generation aRunningGeneration() throws Exception {
        UUID account = StorageContext.get().getBean(AccountService.class).open("check-leases-test", 100, "test").account().id();
        UUID id = UUID.randomUUID();
        try (Connection c = database().getConnection(); PreparedStatement s = c.prepareStatement("""
            INSERT INTO generation (id, account_id, model, inputs, units, price_coins, status, attempts, next_check_at, started_at)
            VALUES (?, ?, 'emu-image', '{}', 1, 10, 'RUNNING', 1, ?, now())""")) {
            s.setObject(1, id);
            s.setObject(2, account);
            s.setTimestamp(3, Timestamp.from(Instant.now().plus(LEASE)));
            s.executeUpdate();
        }
        StorageContext.get().getBean(Ledger.class).reserve(id, account, 10, Instant.now().plusSeconds(3600));
        return checks.load(id).orElseThrow();
    }

    private List<Generation> runningGenerations(int n) throws Exception {
        List<Generation> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            running.add(aRunningGeneration());
        }
        return running;
    }

    /** Fails the test's generation, which also returns its coins. */
    private void end(Generation g) {
        assertThat(settlement.fail(g, "test_done", "ends the test's generation")).isTrue();
    }

    /** The pool's own data source: a connection from it is not bound to a transaction of genq's. */
    private static DataSource database() {
        return DelegatingDataSource.unwrapDataSource(StorageContext.get().getBean(DataSource.class));
    }

    private Instant nextCheckOf(Generation g) {
        return checks.load(g.id()).orElseThrow().nextCheckAt();
    }
}
