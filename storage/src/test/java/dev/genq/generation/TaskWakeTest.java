package dev.genq.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.account.AccountService;
import dev.genq.ledger.Ledger;
import dev.genq.support.StorageContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Webhook wakes on real PostgreSQL: batched, not lost when the vendor calls back before the task is
 * recorded, never handing a task a worker holds to a second worker, and, where a worker checks
 * tasks, leasing a free task to it; and every check made due is told to the worker's poller.
 */
class TaskWakeTest {
    private final TaskChecks checks = StorageContext.get().getBean(TaskChecks.class);
    private final DataSource db = DelegatingDataSource.unwrapDataSource(StorageContext.get().getBean(DataSource.class));

    @Test
    void aWakeBringsTheCheckOfARunningTaskForward() throws Exception {
        UUID id = aRunningGenerationWith("vendor-a", "task-" + UUID.randomUUID());
        String task = taskOf(id);

        checks.wakeSoon("vendor-a", task, null);

        assertThat(awaitCheckDue(id, Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void aWakeThatArrivesBeforeTheTaskIsRecordedIsAppliedOnceItIs() throws Exception {
        String task = "early-" + UUID.randomUUID();
        checks.wakeSoon("vendor-a", task, null); // nothing runs this task yet
        Thread.sleep(300);

        UUID id = aRunningGenerationWith("vendor-a", task);

        assertThat(awaitCheckDue(id, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aWakeForAnotherProvidersTaskOfTheSameIdWakesNothing() throws Exception {
        UUID id = aRunningGenerationWith("vendor-a", "shared-" + UUID.randomUUID());

        checks.wakeSoon("vendor-b", taskOf(id), null);

        assertThat(awaitCheckDue(id, Duration.ofSeconds(2))).isFalse();
    }

    @Test
    void aWakeDuringACheckWaitsForTheCheckToEndAndThenMakesTheTaskDueAtOnce() throws Exception {
        UUID woken = aRunningGenerationWith("vendor-a", "leased-" + UUID.randomUUID());
        UUID quiet = aRunningGenerationWith("vendor-a", "leased-" + UUID.randomUUID());
        makeDue(woken, quiet);
        List<Generation> claimed = checks.claimDueChecks(Instant.now().plus(Duration.ofHours(1)), 10_000).stream()
            .filter(g -> g.id().equals(woken) || g.id().equals(quiet)).toList();
        assertThat(claimed).hasSize(2);

        checks.wakeSoon("vendor-a", taskOf(woken), null); // the vendor calls back while the claimed check runs

        assertThat(awaitCheckDue(woken, Duration.ofSeconds(2))).as("a leased task is not handed to another worker").isFalse();
        for (Generation g : claimed) { // both checks end with the task still running at the vendor
            checks.scheduleCheck(g, Instant.now().plus(Duration.ofHours(1)));
        }
        assertThat(awaitCheckDue(woken, Duration.ofSeconds(3))).as("the wake is honoured when the check ends").isTrue();
        assertThat(awaitCheckDue(quiet, Duration.ofMillis(500))).as("without a wake the next check keeps its time").isFalse();
    }

    @Test
    void aTaskRecordedAsHeldIsNotHandedToAnotherWorkerByAWake() throws Exception {
        UUID id = aRunningGenerationWith("vendor-a", null);
        Generation running = checks.load(id).orElseThrow();
        String task = "finished-at-once-" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(checks.recordTaskHeld(running, "vendor-a", task, now.plusSeconds(600), now.plus(Duration.ofHours(1)))).isPresent();

        checks.wakeSoon("vendor-a", task, null);

        assertThat(awaitCheckDue(id, Duration.ofSeconds(2))).isFalse();
    }

    @Test
    void whereAWorkerChecksTasksAWakeLeasesAFreeTaskToItAndHandsItOverButLeavesAHeldOneToItsHolder() throws Exception {
        UUID free = aRunningGenerationWith("vendor-a", "free-" + UUID.randomUUID());
        UUID held = aRunningGenerationWith("vendor-a", "held-" + UUID.randomUUID());
        makeDue(held);
        Generation heldByAnother = checks.claimDueChecks(Instant.now().plus(Duration.ofHours(1)), 10_000).stream()
            .filter(g -> g.id().equals(held)).findFirst().orElseThrow();
        BlockingQueue<Generation> handed = new LinkedBlockingQueue<>();
        checks.checkWokenTasks(Duration.ofMinutes(2), (g, report) -> handed.add(g));
        try {
            checks.wakeSoon("vendor-a", taskOf(free), null);
            checks.wakeSoon("vendor-a", taskOf(held), null);

            Generation leased = handed.poll(3, TimeUnit.SECONDS);
            assertThat(leased).isNotNull();
            assertThat(leased.id()).isEqualTo(free);
            assertThat(leased.nextCheckAt()).as("leased: no poll claims it meanwhile").isAfter(Instant.now().plusSeconds(60));
            assertThat(checks.claimDueChecks(Instant.now().plus(Duration.ofHours(1)), 10_000)).extracting(Generation::id)
                .doesNotContain(free, held);
            assertThat(handed.poll(1, TimeUnit.SECONDS)).as("a task another worker holds is not handed over").isNull();

            checks.scheduleCheck(heldByAnother, Instant.now().plus(Duration.ofHours(1))); // the holder's check ends
            assertThat(awaitCheckDue(held, Duration.ofSeconds(3))).as("the wake it kept is honoured").isTrue();
        } finally {
            checks.stopCheckingWokenTasks();
        }
    }

    @Test
    void theWebhooksReportTravelsWithTheLeaseAlsoWhenTheWakeWaitedForTheTaskToBeRecorded() throws Exception {
        UUID now = aRunningGenerationWith("vendor-a", "reported-" + UUID.randomUUID());
        String early = "reported-early-" + UUID.randomUUID();
        BlockingQueue<String> handed = new LinkedBlockingQueue<>();
        checks.checkWokenTasks(Duration.ofMinutes(2), (g, report) -> handed.add(g.providerTaskId() + " " + report));
        try {
            checks.wakeSoon("vendor-a", taskOf(now), "{\"status\":\"succeeded\"}");
            checks.wakeSoon("vendor-a", early, "{\"status\":\"failed\"}"); // nothing runs this task yet
            assertThat(handed.poll(3, TimeUnit.SECONDS)).isEqualTo(taskOf(now) + " {\"status\":\"succeeded\"}");

            aRunningGenerationWith("vendor-a", early);

            assertThat(handed.poll(5, TimeUnit.SECONDS)).isEqualTo(early + " {\"status\":\"failed\"}");
        } finally {
            checks.stopCheckingWokenTasks();
        }
    }

    @Test
    void onceTheWorkerStopsCheckingAWakeOnlyMakesTheTaskDue() throws Exception {
        UUID id = aRunningGenerationWith("vendor-a", "after-stop-" + UUID.randomUUID());
        BlockingQueue<Generation> handed = new LinkedBlockingQueue<>();
        checks.checkWokenTasks(Duration.ofMinutes(2), (g, report) -> handed.add(g));
        checks.stopCheckingWokenTasks();

        checks.wakeSoon("vendor-a", taskOf(id), null);

        assertThat(awaitCheckDue(id, Duration.ofSeconds(3))).isTrue();
        assertThat(handed).isEmpty();
    }

    @Test
    void everyCheckThisProcessMakesDueIsToldWithItsTimeOnceCommittedAndTheEarliestDueIsReadable() throws Exception {
        BlockingQueue<Instant> told = new LinkedBlockingQueue<>();
        checks.onChecksDue(told::add);
        try {
            Generation unrecorded = checks.load(aRunningGenerationWith("vendor-a", null)).orElseThrow();
            Instant firstCheck = Instant.now().plusSeconds(90).truncatedTo(ChronoUnit.MILLIS);
            assertThat(checks.recordTask(unrecorded, "vendor-a", "told-" + UUID.randomUUID(), firstCheck.plusSeconds(600), firstCheck))
                .isPresent();
            assertThat(told.poll(3, TimeUnit.SECONDS)).as("a task recorded").isEqualTo(firstCheck);

            Generation checked = checks.load(aRunningGenerationWith("vendor-a", "told-" + UUID.randomUUID())).orElseThrow();
            Instant nextCheck = Instant.now().plusSeconds(45).truncatedTo(ChronoUnit.MILLIS);
            checks.scheduleCheck(checked, nextCheck);
            assertThat(told.poll(3, TimeUnit.SECONDS)).as("a check rescheduled").isEqualTo(nextCheck);

            UUID woken = aRunningGenerationWith("vendor-a", "told-" + UUID.randomUUID());
            Instant beforeWake = Instant.now();
            checks.wakeSoon("vendor-a", taskOf(woken), null); // no worker checks tasks here: the wake leaves it to a poll
            Instant madeDue = told.poll(3, TimeUnit.SECONDS);
            assertThat(madeDue).as("a wake left to the poll").isNotNull().isBetween(beforeWake.minusSeconds(1), Instant.now());
            assertThat(told).as("nothing else was made due").isEmpty();

            assertThat(checks.nextCheckDue()).get().as("the earliest due, the woken one's or an earlier one's")
                .matches(at -> !at.isAfter(madeDue));
        } finally {
            checks.onChecksDue(at -> { });
        }
    }

    /** A RUNNING generation whose next check is an hour away, as a worker would have recorded it, with its reservation. */
    private UUID aRunningGenerationWith(String provider, String task) throws Exception {
        UUID account = StorageContext.get().getBean(AccountService.class).open("wake-test", 0, "test").account().id();
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
            INSERT INTO generation (id, account_id, model, inputs, units, price_coins, status, attempts, provider, provider_task_id, next_check_at)
            VALUES (?, ?, 'emu-image', '{}', 1, 0, 'RUNNING', 1, ?, ?, ?)""")) {
            s.setObject(1, id);
            s.setObject(2, account);
            s.setString(3, provider);
            s.setString(4, task);
            s.setTimestamp(5, Timestamp.from(Instant.now().plus(Duration.ofHours(1))));
            s.executeUpdate();
        }
        // with its reservation, so the ledger audit other tests run over this database still balances
        StorageContext.get().getBean(Ledger.class).reserve(id, account, 0, Instant.now().plus(Duration.ofHours(2)));
        return id;
    }

    private void makeDue(UUID... ids) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
            "UPDATE generation SET next_check_at = now() - interval '1 second' WHERE id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("uuid", ids));
            s.executeUpdate();
        }
    }

    private String taskOf(UUID id) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT provider_task_id FROM generation WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private boolean awaitCheckDue(UUID id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT next_check_at <= now() FROM generation WHERE id = ?")) {
                s.setObject(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
            }
            Thread.sleep(50);
        }
        return false;
    }
}
