package dev.genq.generation;

import dev.genq.infra.BatchSql;
import dev.genq.infra.BatchedCalls;
import dev.genq.infra.Batcher;
import dev.genq.infra.Transactions;
import dev.genq.ledger.Ledger;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running generation's vendor task, as the worker drives it: the attempt started (QUEUED to
 * RUNNING, or one more attempt), the task recorded before anything waits on it, its checks
 * scheduled, claimed under a lease and woken by webhooks, its progress published. Every write is
 * conditional on the state it was read in; the frequent ones are batched with concurrent callers
 * ({@link BatchedCalls}), one statement for all that arrive together. How it ends is {@link Settlement}'s.
 */
@Singleton
public class TaskChecks {
    private static final Logger LOG = LoggerFactory.getLogger(TaskChecks.class);
    /** A job's first run: the one status change written for many rows at once outside {@link GenerationRepository#compareAndSet}. */
    private static final Transition FIRST_START = new Transition(GenerationStatus.QUEUED, GenerationStatus.RUNNING);
    private final GenerationRepository repository;
    private final StatusPublisher publisher;
    private final TransactionOperations<Connection> tx;
    private final BatchSql sql;
    private final Clock clock;
    private final Duration deadlineMargin; // read once: a configuration getter converts on every call
    private final Batcher<TaskKey> wakes = new Batcher<>("genq-task-wakes", 500, this::wakeAll);
    private volatile WokenChecks wokenChecks; // null: no worker checks tasks here, and a wake only makes a task due
    private volatile Consumer<Instant> checksDue = at -> { };
    private final BatchedCalls<UUID, Optional<Generation>> firstStarts = new BatchedCalls<>("genq-first-starts", 500, id -> id, this::startAllQueued);
    private final BatchedCalls<TaskRecord, Boolean> taskRecords = new BatchedCalls<>("genq-task-records", 500, r -> r.running().id(), this::recordAll);
    private final BatchedCalls<CheckTime, Boolean> checkTimes = new BatchedCalls<>("genq-check-times", 500, CheckTime::id, this::scheduleAll);

    TaskChecks(GenerationRepository repository, StatusPublisher publisher, TransactionOperations<Connection> tx, BatchSql sql,
               GenerationConfig config, Clock clock) {
        this.repository = repository;
        this.publisher = publisher;
        this.tx = tx;
        this.sql = sql;
        this.deadlineMargin = config.getDeadlineMargin();
        this.clock = clock;
    }

    /**
     * Records that genq asked the vendor to cancel the task of {@code running} (sent once; later
     * checks only ask how it ended); returns the generation as it now reads.
     */
    public Generation vendorCancelSent(Generation running) {
        Instant now = now();
        repository.markVendorCancel(running.id(), now);
        return running.withVendorCancel(now);
    }

    public Optional<Generation> load(UUID id) {
        return repository.findById(id);
    }

    /**
     * Marks a generation RUNNING for one more attempt. Empty when it is terminal already or another
     * writer changed it meanwhile: the caller then has nothing to do.
     */
    public Optional<Generation> start(Generation current) {
        if (current.status().isTerminal()) {
            return Optional.empty();
        }
        Generation next = current.status() == GenerationStatus.QUEUED
            ? current.moveTo(GenerationStatus.RUNNING, now())
            : current.withAnotherAttempt(now());
        if (!repository.compareAndSet(current, next)) {
            return Optional.empty();
        }
        publisher.publish(next);
        return Optional.of(next);
    }

    /**
     * {@link #start} for a generation's first run, without reading it first: QUEUED becomes RUNNING
     * in one compare-and-set that returns the row, batched with the first runs of other jobs. Empty
     * when it is not QUEUED (a re-run, cancelled, or another run won): the caller then takes the
     * path of {@link #load} and {@link #start}. The batch's RUNNING statuses are published together,
     * in one pipeline, once committed.
     */
    public Optional<Generation> startQueued(UUID id) {
        return Transactions.batched(tx, firstStarts, id);
    }

    /** The statuses are literals in the text, as PostgreSQL's planner has always seen this statement, taken from the checked move. */
    private static final String START_ALL_QUEUED = """
        UPDATE generation SET status = '%s', attempts = attempts + 1, started_at = ?, updated_at = ?
        WHERE id = ANY(?::uuid[]) AND status = '%s'
        RETURNING *""".formatted(FIRST_START.to(), FIRST_START.from());

    private List<Optional<Generation>> startAllQueued(List<UUID> ids) {
        Instant now = now();
        Map<UUID, Generation> started = new HashMap<>();
        tx.executeWrite(status -> {
            sql.run(START_ALL_QUEUED, (a, s) -> {
                s.setTimestamp(1, Timestamp.from(now));
                s.setTimestamp(2, Timestamp.from(now));
                s.setArray(3, a.of("uuid", ids));
                sql.entities(s, Generation.class).forEach(g -> started.put(g.id(), g));
                return null;
            });
            Transactions.afterCommit(status, () -> publisher.publishAll(started.values()));
            return null;
        });
        return ids.stream().map(id -> Optional.ofNullable(started.get(id))).toList();
    }

    /**
     * Records the vendor task this attempt started, before anything waits on it: a re-run after a
     * crash then resumes the task instead of submitting again. Empty if another writer changed the
     * generation first (that writer owns the attempt). Batched with the records of other jobs.
     */
    public Optional<Generation> recordTask(Generation running, String provider, String taskId, Instant deadline,
                                           Instant firstCheckAt) {
        return record(running, provider, taskId, deadline, firstCheckAt, null);
    }

    /**
     * {@link #recordTask} for a task the vendor finished in its answer to the submit: the caller
     * stores its outputs now, so the task is leased to it until {@code leaseUntil}, as a claimed
     * check is. The vendor's webhook about it then does not hand it to a second worker.
     */
    public Optional<Generation> recordTaskHeld(Generation running, String provider, String taskId, Instant deadline,
                                               Instant leaseUntil) {
        return record(running, provider, taskId, deadline, leaseUntil, leaseUntil);
    }

    private Optional<Generation> record(Generation running, String provider, String taskId, Instant deadline, Instant firstCheckAt,
                                        Instant leasedUntil) {
        Generation next = running.withTask(provider, taskId, deadline, firstCheckAt, now());
        return Transactions.batched(tx, taskRecords, new TaskRecord(running, next, leasedUntil)) ? Optional.of(next) : Optional.empty();
    }

    /** {@link #recordAll}'s statement: the task columns' compare-and-set, and the reservations' new expiry. */
    private static final String RECORD_TASKS = """
        WITH recorded AS (
          UPDATE generation g SET provider = v.provider, provider_task_id = v.task_id, provider_deadline_at = v.deadline,
                                  -- an owner who cancelled while the submit ran is answered at the first check, now
                                  next_check_at = CASE WHEN g.cancel_requested_at IS NULL OR v.leased_until IS NOT NULL
                                                       THEN v.first_check ELSE v.updated_at END,
                                  check_leased_until = v.leased_until, woken_at = NULL,
                                  updated_at = v.updated_at
          FROM unnest(?::uuid[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                      ?::timestamptz[], ?::timestamptz[])
               AS v(id, expected_status, expected_attempts, expected_task_id, provider, task_id, deadline, first_check, updated_at,
                    leased_until)
          WHERE g.id = v.id AND g.status = v.expected_status AND g.attempts = v.expected_attempts
            AND g.provider_task_id IS NOT DISTINCT FROM v.expected_task_id
          RETURNING g.id, g.next_check_at, g.provider_deadline_at + make_interval(secs => ?) AS expires_at
        ), held AS (%s)
        SELECT id, next_check_at FROM recorded""".formatted(Ledger.extendStep("recorded"));

    private record TaskRecord(Generation running, Generation next, Instant leasedUntil) {
    }

    /**
     * A compare-and-set of the task columns of many generations: the attempt must still be the one
     * read and have no task yet, so two records of one attempt cannot both win. The same statement
     * moves each recorded generation's reservation to expire at its task's deadline plus the margin
     * ({@link Ledger#extendStep}): the hold now covers the vendor's work, not the wait in the queue.
     */
    private List<Boolean> recordAll(List<TaskRecord> batch) {
        Set<UUID> written = tx.executeWrite(status -> tellDueAfterCommit(status, sql.run(RECORD_TASKS, (a, s) -> {
            Settlement.bindExpected(a, s, batch.stream().map(TaskRecord::running).toList());
            s.setArray(4, a.of("text", batch.stream().map(r -> r.running().providerTaskId()).toList()));
            s.setArray(5, a.of("text", batch.stream().map(r -> r.next().provider()).toList()));
            s.setArray(6, a.of("text", batch.stream().map(r -> r.next().providerTaskId()).toList()));
            s.setArray(7, a.of("timestamptz", batch.stream().map(r -> BatchSql.timestamp(r.next().providerDeadlineAt())).toList()));
            s.setArray(8, a.of("timestamptz", batch.stream().map(r -> BatchSql.timestamp(r.next().nextCheckAt())).toList()));
            s.setArray(9, a.of("timestamptz", batch.stream().map(r -> BatchSql.timestamp(r.next().updatedAt())).toList()));
            s.setArray(10, a.of("timestamptz", batch.stream().map(r -> BatchSql.timestamp(r.leasedUntil())).toList()));
            s.setDouble(11, deadlineMargin.toMillis() / 1000.0);
            return dueChecksOf(s);
        }))).keySet();
        return batch.stream().map(r -> written.contains(r.running().id())).toList();
    }


    /** Running generations whose vendor task is due for a check, leased to the caller until {@code leaseUntil}. */
    public List<Generation> claimDueChecks(Instant leaseUntil, int limit) {
        return repository.claimDue(now(), leaseUntil, limit);
    }

    /** When the earliest check of a running vendor task falls due (a leased one's when its lease ends); empty when none is set. */
    public Optional<Instant> nextCheckDue() {
        return repository.findNextCheckDue();
    }

    /**
     * Tells {@code listener}, once committed, when the checks this process makes due fall due (a
     * task recorded, a check rescheduled, a wake left to the poll): with {@link #nextCheckDue}, the
     * worker's poller pauses no longer than till then. Set by the worker role's task poller.
     */
    public void onChecksDue(Consumer<Instant> listener) {
        checksDue = listener;
    }

    /** Reads a {@code RETURNING id, next_check_at}. */
    private static Map<UUID, Instant> dueChecksOf(PreparedStatement statement) throws SQLException {
        Map<UUID, Instant> due = new HashMap<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                Timestamp at = rs.getTimestamp(2);
                due.put(rs.getObject(1, UUID.class), at == null ? null : at.toInstant());
            }
        }
        return due;
    }

    /** Tells the earliest of {@code due} once the caller's transaction commits (a batch's own, or the caller's it joined). */
    private Map<UUID, Instant> tellDueAfterCommit(TransactionStatus<?> status, Map<UUID, Instant> due) {
        due.values().stream().filter(Objects::nonNull).min(Instant::compareTo)
            .ifPresent(earliest -> Transactions.afterCommit(status, () -> checksDue.accept(earliest)));
        return due;
    }

    /**
     * When to check a running generation's vendor task next; not a state change, so no
     * compare-and-set. This ends the check's lease; a webhook that woke the task during the check
     * makes it due at once instead (the vendor may have finished after it answered this check).
     * Written in batches with concurrent callers (every check of a long task ends in one), or in
     * the caller's transaction when it has one.
     */
    public void scheduleCheck(Generation running, Instant at) {
        Transactions.batched(tx, checkTimes, new CheckTime(running.id(), at));
    }

    /**
     * Extends the leases of many running generations' checks to one time, in one statement (a
     * worker's lease renewals); returns how many were extended. A row another transaction is
     * writing is skipped, not waited for: it is being finished or rescheduled that moment, and
     * waiting on rows locked in another batch's order could deadlock the two.
     */
    public int extendLeases(Collection<UUID> ids, Instant at) {
        return tx.executeWrite(status -> sql.run("""
            UPDATE generation SET next_check_at = ?, check_leased_until = ?
            WHERE id IN (SELECT id FROM generation WHERE id = ANY(?) AND status = 'RUNNING' FOR UPDATE SKIP LOCKED)""",
            (a, s) -> {
                s.setTimestamp(1, Timestamp.from(at));
                s.setTimestamp(2, Timestamp.from(at));
                s.setArray(3, a.of("uuid", ids));
                return s.executeUpdate();
            }));
    }

    private record CheckTime(UUID id, Instant at) {
    }

    private List<Boolean> scheduleAll(List<CheckTime> batch) {
        Instant now = now();
        Set<UUID> written = tx.executeWrite(status -> tellDueAfterCommit(status, sql.run("""
            UPDATE generation g SET next_check_at = CASE WHEN g.woken_at IS NULL THEN v.at ELSE least(v.at, ?) END,
                                    check_leased_until = NULL, woken_at = NULL
            FROM unnest(?::uuid[], ?::timestamptz[]) AS v(id, at)
            WHERE g.id = v.id AND g.status = 'RUNNING'
            RETURNING g.id, g.next_check_at""", (a, s) -> {
            s.setTimestamp(1, Timestamp.from(now));
            s.setArray(2, a.of("uuid", batch.stream().map(CheckTime::id).toList()));
            s.setArray(3, a.of("timestamptz", batch.stream().map(c -> Timestamp.from(c.at())).toList()));
            return dueChecksOf(s);
        }))).keySet();
        return batch.stream().map(c -> written.contains(c.id())).toList();
    }

    /**
     * A vendor said its task changed: check it soon. A task leased to a worker (being checked, or
     * its outputs being stored) is not handed to another: the wake is kept and its check's end makes
     * it due ({@link #scheduleCheck}). A task no worker holds is leased to this process and checked
     * here at once when a worker here checks tasks ({@link #checkWokenTasks}), else made due for the
     * next poll. Wakes are written in batches, one statement for all that arrive together; one lost
     * to a crash only leaves the check to its schedule. A wake that finds no running task is tried
     * again for a few seconds: a vendor can call back before the worker that submitted has recorded
     * the task. A row another batch is writing is skipped and tried again the same way, so two
     * batches never wait on each other's rows.
     *
     * @param report the body of the vendor's verified webhook, handed to the check with the task when
     *               the wake leases it here (the check may take the task's success from it instead
     *               of asking the vendor); null when there is none
     */
    public void wakeSoon(String provider, String taskId, @Nullable String report) {
        wakes.add(new TaskKey(provider, taskId, report, 0));
    }

    /**
     * Has wakes lease each task no worker holds to this process for {@code lease} and hand it to
     * {@code check} once committed, instead of making it due for a poll: the webhook's task is
     * checked without waiting for the poller, and its row is written once instead of twice (the
     * wake, then the poller's claim). Set by the worker role's task poller.
     */
    public void checkWokenTasks(Duration lease, WokenCheck check) {
        wokenChecks = new WokenChecks(lease, check);
    }

    /** Wakes go back to making tasks due for any worker's poll (this one's is stopping). */
    public void stopCheckingWokenTasks() {
        wokenChecks = null;
    }

    /** Checks a task a wake leased to this process. */
    @FunctionalInterface
    public interface WokenCheck {
        /** @param report the body of the webhook that woke the task, or null */
        void check(Generation leased, @Nullable String report);
    }

    private record WokenChecks(Duration lease, WokenCheck check) {
    }

    private record TaskKey(String provider, String taskId, @Nullable String report, int attempt) {
        String key() {
            return keyOf(provider, taskId);
        }

        static String keyOf(String provider, String taskId) {
            return provider + " " + taskId;
        }
    }

    private static final int WAKE_ATTEMPTS = 5;

    private void wakeAll(List<TaskKey> keys) {
        Instant now = now();
        WokenChecks checks = wokenChecks;
        Instant lease = checks == null ? null : now.plus(checks.lease());
        List<BatchSql.Flagged<Generation>> rows = tx.executeWrite(status -> sql.run("""
            UPDATE generation g
            SET woken_at = CASE WHEN g.check_leased_until > v.now OR v.lease IS NULL THEN v.now END,
                next_check_at = CASE WHEN g.check_leased_until > v.now THEN g.next_check_at ELSE coalesce(v.lease, v.now) END,
                check_leased_until = CASE WHEN g.check_leased_until > v.now OR v.lease IS NULL THEN g.check_leased_until
                                          ELSE v.lease END
            FROM (SELECT ?::timestamptz AS now, ?::timestamptz AS lease) v
            WHERE g.id IN (SELECT id FROM generation
                           WHERE status = 'RUNNING' AND (provider_task_id, provider) IN (SELECT * FROM unnest(?::text[], ?::text[]))
                           FOR UPDATE SKIP LOCKED)
            RETURNING g.*, g.woken_at IS NULL AS leased_here""", (a, s) -> {
            s.setTimestamp(1, Timestamp.from(now));
            s.setTimestamp(2, BatchSql.timestamp(lease));
            s.setArray(3, a.of("text", keys.stream().map(TaskKey::taskId).toList()));
            s.setArray(4, a.of("text", keys.stream().map(TaskKey::provider).toList()));
            return sql.flaggedEntities(s, Generation.class, "leased_here");
        }));
        rows.stream().filter(row -> !row.flag()).map(row -> row.entity().nextCheckAt()).min(Instant::compareTo)
            .ifPresent(checksDue); // committed: executeWrite ran in a transaction of its own (wakes come from the batcher)
        Map<String, String> reports = new HashMap<>(); // of the keys that have one: the last webhook's
        keys.stream().filter(k -> k.report() != null).forEach(k -> reports.put(k.key(), k.report()));
        Set<String> woken = new HashSet<>();
        for (BatchSql.Flagged<Generation> row : rows) {
            Generation g = row.entity();
            String key = TaskKey.keyOf(g.provider(), g.providerTaskId());
            woken.add(key);
            if (row.flag()) {
                checkLeased(checks, g, reports.get(key));
            }
        }
        List<TaskKey> again = keys.stream()
            .filter(k -> !woken.contains(k.key()) && k.attempt() + 1 < WAKE_ATTEMPTS)
            .map(k -> new TaskKey(k.provider(), k.taskId(), k.report(), k.attempt() + 1))
            .toList();
        if (!again.isEmpty()) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1_000);
                    again.forEach(wakes::add);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Hands a task a wake leased here to the checker; should that fail, the lease's end brings the task back to the poll. */
    private static void checkLeased(WokenChecks checks, Generation leased, @Nullable String report) {
        try {
            checks.check().check(leased, report);
        } catch (RuntimeException e) {
            LOG.warn("checking woken generation {} could not start; its lease brings it back: {}", leased.id(), e.toString());
        }
    }

    @PreDestroy
    void stop() {
        wakes.close();
        firstStarts.close();
        taskRecords.close();
        checkTimes.close();
    }

    /** Progress (and the vendor's queue position) goes to Redis only: it is advisory and must not cost PostgreSQL writes. */
    public void progress(Generation running, int percent, @Nullable Integer vendorQueuePosition) {
        publisher.publish(publisher.view(running).withProgress(Math.clamp(percent, 0, 99),
            vendorQueuePosition == null || vendorQueuePosition < 0 ? null : vendorQueuePosition));
    }


    private Instant now() {
        return Generation.now(clock);
    }
}
