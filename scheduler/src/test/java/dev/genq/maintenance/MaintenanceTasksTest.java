package dev.genq.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.account.AccountService;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationConfig;
import dev.genq.generation.GenerationQueue;
import dev.genq.generation.GenerationSearch;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.Settlement;
import dev.genq.generation.Submissions;
import dev.genq.generation.TaskChecks;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerAudit;
import dev.genq.ledger.Wallet;
import dev.genq.support.StorageContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's money-bearing tasks on real PostgreSQL, run by hand with a clock moved on: what
 * each ends, refunds or holds, and that a second run changes nothing more.
 */
class MaintenanceTasksTest {
    private static final int PRICE = 1; // emu-text's price per generation
    private final ApplicationContext context = StorageContext.get();
    private final Submissions submissions = context.getBean(Submissions.class);
    private final TaskChecks checks = context.getBean(TaskChecks.class);
    private final GenerationSearch search = context.getBean(GenerationSearch.class);
    private final Settlement settlement = context.getBean(Settlement.class);
    private final MaintenanceConfig config = context.getBean(MaintenanceConfig.class);
    private final UUID account = context.getBean(AccountService.class).open("maintenance-test", 100, "test").account().id();

    @AfterEach
    void ledgerBalances() {
        assertThat(context.getBean(LedgerAudit.class).discrepancies()).isEmpty();
    }

    @Test
    void aQueuedGenerationWhoseHoldExpiredFailsWithItsCoinsBackOnce() {
        UUID id = submit();
        assertThat(balance()).isEqualTo(100 - PRICE);
        ReservationExpiry threeHoursOn = expiryAt(Clock.offset(Clock.systemUTC(), Duration.ofHours(3)));

        runUntil(threeHoursOn, () -> checks.load(id).orElseThrow().status().isTerminal());

        Generation ended = checks.load(id).orElseThrow();
        assertThat(ended.status()).isEqualTo(GenerationStatus.FAILED);
        assertThat(ended.errorCode()).isEqualTo("timeout");
        assertThat(balance()).isEqualTo(100);
        assertThat(search.expired(Instant.now().plus(Duration.ofHours(3)), 10_000)).extracting(Generation::id).doesNotContain(id);
    }

    @Test
    void aRunningVendorTaskWhoseHoldExpiredIsHeldForItsVendorNotRefunded() throws Exception {
        UUID id = submit();
        Generation running = checks.startQueued(id).orElseThrow();
        Instant deadline = Instant.now().plusSeconds(60);
        checks.recordTask(running, "vendor-a", "task-" + id, deadline, deadline).orElseThrow();
        Duration margin = context.getBean(GenerationConfig.class).getDeadlineMargin();
        Clock pastTheHold = Clock.fixed(reservationExpiry(id).plusSeconds(60), ZoneOffset.UTC);

        runUntil(expiryAt(pastTheHold), () -> checks.load(id).orElseThrow().overdue(Instant.now()));

        Generation held = checks.load(id).orElseThrow();
        assertThat(held.status()).as("the vendor may still deliver: not ended here").isEqualTo(GenerationStatus.RUNNING);
        assertThat(held.overdue(Instant.now())).isTrue();
        assertThat(held.nextCheckAt()).as("its check is due now, where a worker cancels it at the vendor").isBeforeOrEqualTo(Instant.now());
        assertThat(balance()).as("still held, not refunded").isEqualTo(100 - PRICE);
        assertThat(reservationExpiry(id)).as("the hold extended by the margin").isAfter(Instant.now().plus(margin).minusSeconds(60));
        settlement.fail(held, "test_done", "ends the test's generation");
    }

    @Test
    void aQueuedGenerationWhoseJobWasLostGetsItBackOnce() throws Exception {
        UUID id = submit();
        awaitJob(id);
        execute("DELETE FROM jobrunr_jobs WHERE id = ?", id.toString());
        LostGenerationRequeuer aMinuteOn = new LostGenerationRequeuer(search, context.getBean(GenerationQueue.class), config,
            context.getBean(dev.genq.generation.Dispatch.class),
            Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)));

        int requeued = 0;
        for (int run = 0; run < 20 && !hasJob(id); run++) {
            requeued += aMinuteOn.runOnce();
        }

        assertThat(requeued).isPositive();
        assertThat(hasJob(id)).isTrue();
        assertThat(search.queuedWithoutJob(Instant.now().plusSeconds(60), 10_000)).doesNotContain(id);
        assertThat(checks.load(id).orElseThrow().status()).isEqualTo(GenerationStatus.QUEUED);
    }

    private ReservationExpiry expiryAt(Clock clock) {
        return new ReservationExpiry(search, settlement, config, clock);
    }

    /** Runs the task until {@code done}: other tests' leftovers may fill the first batches. */
    private static void runUntil(MaintenanceTask task, BooleanSupplier done) {
        for (int run = 0; run < 20 && !done.getAsBoolean(); run++) {
            task.runOnce();
        }
        assertThat(done.getAsBoolean()).as("done within 20 runs").isTrue();
    }

    private UUID submit() {
        return submissions.submit(account, "emu-text", Map.of("prompt", "maintenance " + UUID.randomUUID()), null).id();
    }

    private long balance() {
        return context.getBean(Ledger.class).wallet(account).map(Wallet::balanceCoins).orElseThrow();
    }

    private void awaitJob(UUID id) throws Exception {
        Instant until = Instant.now().plusSeconds(10);
        while (!hasJob(id)) {
            assertThat(Instant.now()).as("the submit's job enqueued").isBefore(until);
            Thread.sleep(20);
        }
    }

    private boolean hasJob(UUID id) throws Exception {
        try (Connection c = database().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM jobrunr_jobs WHERE id = ?")) {
            s.setString(1, id.toString());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Instant reservationExpiry(UUID id) throws Exception {
        try (Connection c = database().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT expires_at FROM ledger_transfer WHERE id = ? AND kind = 'PENDING'")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    private void execute(String sql, String arg) throws Exception {
        try (Connection c = database().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            s.executeUpdate();
        }
    }

    /** The pool's own data source: a connection from it is not bound to a transaction of genq's. */
    private DataSource database() {
        return DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
    }
}
