package dev.genq.generation;

import static dev.genq.support.AtOnce.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.genq.account.AccountService;
import dev.genq.ledger.LedgerAudit;
import dev.genq.support.StorageContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writes of a job's run that are batched across jobs: the first start (QUEUED → RUNNING
 * without a read) and the record of the vendor task. Concurrent runs of one generation must still
 * see exactly one winner, or a vendor would be paid twice.
 */
class DispatchWritesTest {
    private final TaskChecks checks = StorageContext.get().getBean(TaskChecks.class);
    private final Submissions submissions = StorageContext.get().getBean(Submissions.class);
    private final StatusCache cache = StorageContext.get().getBean(StatusCache.class);
    private final UUID account = StorageContext.get().getBean(AccountService.class).open("dispatch-writes-test", 10_000, "test").account().id();

    @AfterEach
    void ledgerBalances() {
        assertThat(StorageContext.get().getBean(LedgerAudit.class).discrepancies()).isEmpty();
    }

    @Test
    void aFirstStartReturnsTheRowItWroteAndPublishesIt() {
        UUID id = aQueuedGeneration();

        Generation started = checks.startQueued(id).orElseThrow();

        assertThat(started.status()).isEqualTo(GenerationStatus.RUNNING);
        assertThat(started.attempts()).isEqualTo(1);
        assertThat(started.startedAt()).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
        assertThat(checks.load(id)).contains(started);
        assertThat(cache.entry(id)).as("published, not read back from the row").map(e -> cache.view(e).status())
            .contains(GenerationStatus.RUNNING);
    }

    @Test
    void concurrentFirstStartsOfOneGenerationHaveOneWinner() throws Exception {
        UUID id = aQueuedGeneration();

        List<Optional<Generation>> answers = all(List.of(() -> checks.startQueued(id), () -> checks.startQueued(id),
            () -> checks.startQueued(id)));

        assertThat(answers.stream().filter(Optional::isPresent)).hasSize(1);
        assertThat(checks.load(id).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void firstStartsOfManyGenerationsAllWin() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(aQueuedGeneration());
        }

        List<Optional<Generation>> answers = all(ids.stream().map(id -> (Callable<Optional<Generation>>) () -> checks.startQueued(id)).toList());

        for (int i = 0; i < ids.size(); i++) {
            assertThat(answers.get(i)).map(Generation::id).contains(ids.get(i));
            assertThat(cache.entry(ids.get(i))).map(e -> cache.view(e).status()).contains(GenerationStatus.RUNNING);
        }
    }

    @Test
    void aGenerationThatIsNotQueuedIsNotStartedAgain() {
        UUID cancelled = aQueuedGeneration();
        submissions.cancel(cancelled, account);
        UUID running = aQueuedGeneration();
        checks.startQueued(running).orElseThrow();

        assertThat(checks.startQueued(cancelled)).isEmpty();
        assertThat(checks.startQueued(running)).isEmpty();
        assertThat(checks.load(cancelled).orElseThrow().status()).isEqualTo(GenerationStatus.CANCELLED);
        assertThat(checks.load(running).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void concurrentRecordsOfOneAttemptHaveOneWinner() throws Exception {
        Generation running = checks.startQueued(aQueuedGeneration()).orElseThrow();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);

        List<Optional<Generation>> answers = all(List.of(
            () -> checks.recordTask(running, "vendor-a", "task-1", at.plusSeconds(600), at.plusSeconds(30)),
            () -> checks.recordTask(running, "vendor-a", "task-2", at.plusSeconds(600), at.plusSeconds(30))));

        assertThat(answers.stream().filter(Optional::isPresent)).hasSize(1);
        Generation won = answers.stream().flatMap(Optional::stream).findFirst().orElseThrow();
        Generation stored = checks.load(running.id()).orElseThrow();
        assertThat(stored.providerTaskId()).isEqualTo(won.providerTaskId());
        assertThat(stored.provider()).isEqualTo("vendor-a");
        assertThat(stored.providerDeadlineAt()).isEqualTo(at.plusSeconds(600));
        assertThat(stored.nextCheckAt()).isEqualTo(at.plusSeconds(30));
    }

    @Test
    void recordingTheVendorTaskMovesTheReservationToItsDeadlinePlusTheMarginInTheSameWrite() {
        Generation running = checks.startQueued(aQueuedGeneration()).orElseThrow();
        Instant deadline = Instant.now().truncatedTo(ChronoUnit.MICROS).plus(Duration.ofDays(3));

        checks.recordTask(running, "vendor-a", "long-order", deadline, Instant.now().plusSeconds(30)).orElseThrow();

        Duration margin = StorageContext.get().getBean(GenerationConfig.class).getDeadlineMargin();
        assertThat(reservationExpiry(running.id())).isEqualTo(deadline.plus(margin));
    }

    @Test
    void aRecordThatLosesLeavesTheReservationAsItWas() {
        Generation running = checks.startQueued(aQueuedGeneration()).orElseThrow();
        Instant before = reservationExpiry(running.id());
        checks.start(running).orElseThrow(); // another run took a second attempt

        assertThat(checks.recordTask(running, "vendor-a", "stale", Instant.now().plus(Duration.ofDays(3)), Instant.now())).isEmpty();
        assertThat(reservationExpiry(running.id())).isEqualTo(before);
    }

    private static Instant reservationExpiry(UUID id) {
        javax.sql.DataSource db = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(
            StorageContext.get().getBean(javax.sql.DataSource.class));
        try (java.sql.Connection c = db.getConnection();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT expires_at FROM ledger_transfer WHERE id = ? AND kind = 'PENDING'")) {
            s.setObject(1, id);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRecordOfAnAttemptThatIsNoLongerCurrentIsRefused() {
        Generation running = checks.startQueued(aQueuedGeneration()).orElseThrow();
        Generation retried = checks.start(running).orElseThrow(); // another run took a second attempt

        assertThat(checks.recordTask(running, "vendor-a", "stale", Instant.now().plusSeconds(60), Instant.now())).isEmpty();
        assertThat(checks.recordTask(retried, "vendor-a", "current", Instant.now().plusSeconds(60), Instant.now())).isPresent();
        assertThat(checks.load(running.id()).orElseThrow().providerTaskId()).isEqualTo("current");
    }

    private UUID aQueuedGeneration() {
        return submissions.submit(account, "emu-text", Map.of("prompt", "dispatch " + UUID.randomUUID()), null).id();
    }
}
