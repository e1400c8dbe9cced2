package dev.genq.generation;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.catalog.Priced;
import dev.genq.catalog.Quotes;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.BatchSql;
import dev.genq.infra.BatchedCalls;
import dev.genq.infra.Batcher;
import dev.genq.infra.Ids;
import dev.genq.infra.JsonText;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerResult;
import dev.genq.ledger.TransferReason;
import dev.genq.ledger.Wallet;
import dev.genq.queue.NewWork;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import io.micronaut.transaction.support.TransactionSynchronization;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * The one place where a generation changes state. Every change is a compare-and-set on the row,
 * made in the same transaction as its ledger operation (reserve, post or void); the new status is
 * published to Redis, and a new generation enqueued, only after the commit, also when the work runs
 * inside a caller's transaction (an idempotent request's).
 */
@Singleton
public class Generations {
    private static final Logger LOG = LoggerFactory.getLogger(Generations.class);
    private final GenerationRepository repository;
    private final Admissions admissions;
    private final Ledger ledger;
    private final Quotes quotes;
    private final StatusCache cache;
    private final GenerationMetrics metrics;
    private final GenerationQueue queue;
    private final TransactionOperations<Connection> tx;
    private final JsonText json;
    private final BatchSql sql;
    private final Catalog catalog;
    private final NewWork newWork;
    private final Clock clock;
    private final Duration deadlineMargin; // read once: a configuration getter converts on every call
    private final Batcher<TaskKey> wakes = new Batcher<>("genq-task-wakes", 500, this::wakeAll);
    private volatile WokenChecks wokenChecks; // null: no worker checks tasks here, and a wake only makes a task due
    private volatile Consumer<Instant> checksDue = at -> { };
    private final BatchedCalls<UUID, Optional<Generation>> firstStarts = new BatchedCalls<>("genq-first-starts", 500, id -> id, this::startAllQueued);
    private final BatchedCalls<TaskRecord, Boolean> taskRecords = new BatchedCalls<>("genq-task-records", 500, r -> r.running().id(), this::recordAll);
    private final BatchedCalls<CheckTime, Boolean> checkTimes = new BatchedCalls<>("genq-check-times", 500, CheckTime::id, this::scheduleAll);
    private final BatchedCalls<Success, Boolean> successes = new BatchedCalls<>("genq-successes", 200, b -> b.running().id(), this::succeedAll);

    Generations(GenerationRepository repository, Admissions admissions, Ledger ledger, Quotes quotes, StatusCache cache,
                GenerationMetrics metrics, GenerationQueue queue,
                TransactionOperations<Connection> tx, JsonText json, BatchSql sql, Catalog catalog, NewWork newWork,
                GenerationConfig config, Clock clock) {
        this.repository = repository;
        this.admissions = admissions;
        this.ledger = ledger;
        this.quotes = quotes;
        this.cache = cache;
        this.metrics = metrics;
        this.queue = queue;
        this.tx = tx;
        this.json = json;
        this.sql = sql;
        this.catalog = catalog;
        this.newWork = newWork;
        this.deadlineMargin = config.getDeadlineMargin();
        this.clock = clock;
    }

    /**
     * Prices, then inserts the QUEUED generation and reserves its price in one transaction (batched
     * with concurrent submits, or the caller's own when it has one); after the commit, publishes (a
     * batch publishes its generations together, in one round trip to Redis) and enqueues. Refusals
     * (funds, blocked account, duplicate) write nothing.
     */
    public GenerationView submit(UUID accountId, String model, Map<String, Object> inputs, UUID quoteId) {
        Priced priced = quotes.priceForSubmit(accountId, model, inputs, quoteId);
        Generation generation = Generation.queued(Ids.next(), accountId, priced.model().id(), json.write(priced.inputs()),
            priced.units(), priced.priceCoins(), priced.priceVersion(), quoteId, priced.dedupeKey(), now());
        GenerationView view = toView(generation);
        Optional<? extends TransactionStatus<?>> caller = tx.findTransactionStatus();
        Admissions.Outcome outcome = caller.isPresent() ? admissions.admitNow(generation) : admissions.admitBatched(generation, view);
        switch (outcome) {
            case ADMITTED -> { }
            case INSUFFICIENT_FUNDS -> throw new GenqException(ErrorCode.INSUFFICIENT_FUNDS, "this costs "
                + generation.priceCoins() + " coins and the wallet has " + balanceOf(accountId) + " available");
            case ACCOUNT_BLOCKED -> throw blocked();
            case DUPLICATE_ACTIVE -> throw new GenqException(ErrorCode.DUPLICATE_ACTIVE,
                "this account already has an active " + generation.model() + " generation for the same target");
        }
        Runnable admitted = () -> {
            metrics.submitted(generation.model(), generation.priceCoins());
            queue.enqueueSoon(generation.id(), generation.model());
        };
        // a batch published its admitted generations already; the caller's transaction publishes on its commit
        caller.ifPresentOrElse(status -> afterCommit(status, () -> {
            cache.put(view);
            admitted.run();
        }), admitted);
        return view;
    }

    /** The view a published status holds. */
    public GenerationView viewOf(StatusCache.Entry status) {
        return cache.view(status);
    }

    /**
     * The owner's published status of a generation, from Redis when it is there (no PostgreSQL
     * statement), else read from PostgreSQL and published; another account's is not found.
     */
    public StatusCache.Entry status(UUID id, UUID accountId) {
        StatusCache.Entry entry = cache.entry(id).orElseGet(() -> cache.entryOf(publish(repository.findById(id).orElseThrow(() -> notFound(id)))));
        return owned(entry.accountId(), accountId, id, entry);
    }

    /** Newest first, strictly after {@code cursor} (the first page when it is {@link HistoryCursor#START}). */
    public List<GenerationView> history(UUID accountId, HistoryCursor cursor, int limit) {
        return repository.findPage(accountId, cursor.createdAt(), cursor.id(), limit).stream().map(this::toView).toList();
    }

    /**
     * The owner's cancel. A QUEUED generation ends CANCELLED at once, refunded. A RUNNING one of a
     * model that allows cancelling after the start ({@link Model#cancellableAfterStart}) is marked,
     * and its check made due now: its worker cancels at the vendor and settles what the vendor says
     * it delivered (see {@link #succeed}, {@link #cancelled}). Anything else is invalid_state, saying why.
     */
    public GenerationView cancel(UUID id, UUID accountId) {
        Generation current = repository.findById(id).filter(g -> g.accountId().equals(accountId))
            .orElseThrow(() -> notFound(id));
        if (current.status() == GenerationStatus.QUEUED) {
            Optional<Generation> ended = endUncharged(current, GenerationStatus.CANCELLED, null, null);
            if (ended.isPresent()) {
                return toView(ended.get());
            }
            current = repository.findById(id).orElseThrow(() -> notFound(id)); // it started meanwhile
        }
        if (current.status() == GenerationStatus.CANCELLED) {
            return toView(current); // cancelled already: asking again answers the same
        }
        if (current.status() != GenerationStatus.RUNNING) {
            throw new GenqException(ErrorCode.INVALID_STATE, "this generation is " + current.status() + " and can no longer be cancelled");
        }
        if (!catalog.find(current.model()).map(Model::cancellableAfterStart).orElse(false)) {
            throw new GenqException(ErrorCode.INVALID_STATE, "this generation is RUNNING, and " + current.model()
                + " can only be cancelled before its vendor starts it");
        }
        return toView(current.cancelRequestedAt() != null ? current : requestCancel(current));
    }

    /** Marks a RUNNING generation for its worker to cancel at the vendor; the row as it is when another writer came first. */
    private Generation requestCancel(Generation running) {
        Instant now = now();
        Optional<Generation> marked = tx.executeWrite(status -> {
            Optional<Generation> row = repository.requestCancel(running.id(), now).stream().findFirst();
            row.ifPresent(g -> {
                if (repository.makeDue(g.id(), now, null) == 1) {
                    afterCommit(status, newWork::announceChecksDue);
                }
                afterCommit(status, () -> publish(g));
            });
            return row;
        });
        return marked.orElseGet(() -> repository.findById(running.id()).orElseThrow(() -> notFound(running.id())));
    }

    /** Cancels the account's QUEUED generations (refunding each) because the account was blocked; returns how many. */
    public int cancelQueuedOfBlocked(UUID accountId, String reason) {
        int cancelled = 0;
        for (Generation g : repository.findQueued(accountId, Integer.MAX_VALUE)) {
            if (endUncharged(g, GenerationStatus.CANCELLED, "account_blocked", reason).isPresent()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    /** Unfinished generations whose reservation expired before {@code now}, oldest expiry first. */
    public List<Generation> expired(Instant now, int limit) {
        return repository.findExpired(now, limit);
    }

    /**
     * A RUNNING generation whose vendor task outlived its reservation's expiry takes the deadline's
     * path: the vendor may still deliver, so nothing is refunded here. The hold is extended by the
     * deadline margin, the task counts as past its deadline and its check is made due now, where a
     * worker cancels it at the vendor and settles from the vendor's answer (one that cannot cancel
     * is followed to its end). False when it holds no running vendor task any more (it ended meanwhile).
     */
    public boolean holdForVendor(Generation running) {
        Instant now = now();
        boolean held = tx.executeWrite(status -> {
            if (repository.makeDue(running.id(), now, now) == 0) {
                return false;
            }
            LedgerResult extended = ledger.extend(running.id(), now.plus(deadlineMargin));
            if (extended != LedgerResult.OK) { // a RUNNING generation's reservation is open: its end resolves it in one transaction
                throw new IllegalStateException("extending the hold of generation " + running.id() + " answered " + extended);
            }
            return true;
        });
        if (held) {
            newWork.announceChecksDue();
        }
        return held;
    }

    /** How many running vendor tasks are past their deadline at {@code now}. */
    public long overdueCount(Instant now) {
        return repository.countOverdue(now);
    }

    /**
     * An operator's page of generations, newest first, strictly after {@code cursor}: of one status
     * and one account when given, and only running vendor tasks past their deadline when {@code overdue}.
     */
    public List<Generation> search(@Nullable GenerationStatus status, @Nullable UUID accountId, boolean overdue,
                                   HistoryCursor cursor, int limit) {
        return repository.search(status == null ? null : status.name(), accountId, overdue, now(), cursor.createdAt(),
            cursor.id(), limit);
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
        publish(next);
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
        return batched(firstStarts, id);
    }

    private List<Optional<Generation>> startAllQueued(List<UUID> ids) {
        Instant now = now();
        Map<UUID, Generation> started = new HashMap<>();
        tx.executeWrite(status -> {
            sql.run("""
                UPDATE generation SET status = 'RUNNING', attempts = attempts + 1, started_at = ?, updated_at = ?
                WHERE id = ANY(?::uuid[]) AND status = 'QUEUED'
                RETURNING *""", (a, s) -> {
                s.setTimestamp(1, Timestamp.from(now));
                s.setTimestamp(2, Timestamp.from(now));
                s.setArray(3, a.of("uuid", ids));
                sql.entities(s, Generation.class).forEach(g -> started.put(g.id(), g));
                return null;
            });
            afterCommit(status, () -> cache.putAll(started.values().stream().map(this::toView).toList()));
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
        return batched(taskRecords, new TaskRecord(running, next, leasedUntil)) ? Optional.of(next) : Optional.empty();
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
            bindExpected(a, s, batch.stream().map(TaskRecord::running).toList());
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

    /** Inside a caller's transaction a write must see and join it, so it goes alone on the caller's connection. */
    private <Q, A> A batched(BatchedCalls<Q, A> calls, Q request) {
        return tx.findTransactionStatus().isPresent() ? calls.alone(request) : calls.call(request);
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
            .ifPresent(earliest -> afterCommit(status, () -> checksDue.accept(earliest)));
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
        batched(checkTimes, new CheckTime(running.id(), at));
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
        successes.close();
        checkTimes.close();
    }

    /** Progress goes to Redis only: it is advisory and must not cost PostgreSQL writes. */
    public void progress(Generation running, int percent) {
        cache.put(toView(running).withProgress(Math.clamp(percent, 0, 99)));
    }

    /**
     * Records the outputs, marks SUCCEEDED and posts the delivered share of the reservation (3 of 4
     * images pay 3/4, rounded down in the customer's favour). A generation whose owner asked to
     * cancel it and that the vendor stopped short ends CANCELLED instead, charged the same share.
     * False if another writer finished first. A success after the reservation expired is still
     * captured (see {@link #settle}).
     *
     * <p>Successes that arrive together are written together ({@link #succeedAll}), one transaction
     * and one statement per step for the batch; inside a caller's transaction, or when a batch is
     * refused, each is written alone, with the same answer.
     */
    public boolean succeed(Generation running, List<GenerationOutput> outputs, int deliveredUnits) {
        int delivered = Math.clamp(deliveredUnits, 0, running.units());
        long charged = Math.multiplyExact(running.priceCoins(), delivered) / running.units();
        boolean cancelTook = running.cancelRequestedAt() != null && delivered < running.units();
        Generation next = running.moveTo(cancelTook ? GenerationStatus.CANCELLED : GenerationStatus.SUCCEEDED, now())
            .settled(json.write(outputs), charged, delivered, null, null);
        return cancelTook ? settle(running, next).isPresent() : batched(successes, new Success(running, next));
    }

    private record Success(Generation running, Generation next) {
    }

    /**
     * One transaction for the batch: a compare-and-set of every row, then {@link Ledger#postAll} for
     * those that won. If the ledger refuses the batch (a reservation expired, say) it rolls back and
     * each success is written alone ({@link #settle}), which answers it exactly.
     */
    private List<Boolean> succeedAll(List<Success> batch) {
        if (batch.size() == 1) {
            return List.of(settle(batch.getFirst().running(), batch.getFirst().next()).isPresent());
        }
        Set<UUID> won = tx.executeWrite(status -> {
            Set<UUID> written = writeSuccesses(batch);
            Map<UUID, Long> captures = new HashMap<>();
            batch.stream().filter(b -> written.contains(b.running().id()))
                .forEach(b -> captures.put(b.running().id(), b.next().chargedCoins()));
            if (!ledger.postAll(captures, TransferReason.GENERATION_CAPTURE)) {
                throw new BatchedCalls.Refused();
            }
            return written;
        });
        List<Boolean> answers = new ArrayList<>();
        List<GenerationView> views = new ArrayList<>();
        for (Success b : batch) {
            boolean mine = won.contains(b.running().id());
            if (mine) {
                metrics.finished(b.next());
                views.add(toView(b.next()));
            }
            answers.add(mine);
        }
        cache.putAll(views);
        return answers;
    }

    /**
     * Binds parameters 1 to 3 of a batched compare-and-set: each row's id and the status and attempts
     * it must still have ({@code v(id, expected_status, expected_attempts, ...)}).
     */
    private static void bindExpected(BatchSql.Arrays a, PreparedStatement s, List<Generation> seen) throws SQLException {
        s.setArray(1, a.of("uuid", seen.stream().map(Generation::id).toList()));
        s.setArray(2, a.of("text", seen.stream().map(g -> g.status().name()).toList()));
        s.setArray(3, a.of("int", seen.stream().map(Generation::attempts).toList()));
    }

    /** The compare-and-set of {@link GenerationRepository#compareAndSet} for many successes; returns the ids written. */
    private Set<UUID> writeSuccesses(List<Success> batch) {
        return sql.run("""
            UPDATE generation g SET status = 'SUCCEEDED', progress = v.progress, outputs = v.outputs::jsonb,
                                    finished_at = v.finished_at, updated_at = v.finished_at,
                                    charged_coins = v.charged, delivered_units = v.delivered
            FROM unnest(?::uuid[], ?::text[], ?::int[], ?::int[], ?::text[], ?::timestamptz[], ?::bigint[], ?::int[])
                 AS v(id, expected_status, expected_attempts, progress, outputs, finished_at, charged, delivered)
            WHERE g.id = v.id AND g.status = v.expected_status AND g.attempts = v.expected_attempts
            RETURNING g.id""", (a, s) -> {
            bindExpected(a, s, batch.stream().map(Success::running).toList());
            s.setArray(4, a.of("int", batch.stream().map(b -> b.next().progress()).toList()));
            s.setArray(5, a.of("text", batch.stream().map(b -> b.next().outputs()).toList()));
            s.setArray(6, a.of("timestamptz", batch.stream().map(b -> Timestamp.from(b.next().finishedAt())).toList()));
            s.setArray(7, a.of("bigint", batch.stream().map(b -> b.next().chargedCoins()).toList()));
            s.setArray(8, a.of("int", batch.stream().map(b -> b.next().deliveredUnits()).toList()));
            return BatchSql.uuidsOf(s);
        });
    }

    /**
     * Marks FAILED with a code and settles: the reservation is voided (the refund), unless the
     * model's terms name a fee for this code ({@link Model#failureFeeCoins}), which is posted and
     * the rest released. False if another writer finished first.
     */
    public boolean fail(Generation current, String errorCode, String errorMessage) {
        long fee = catalog.find(current.model()).map(m -> m.failureFeeCoins(errorCode, current.priceCoins())).orElse(0L);
        return settle(current, current.moveTo(GenerationStatus.FAILED, now()).settled(current.outputs(), fee, 0, errorCode, errorMessage))
            .isPresent();
    }

    /**
     * Ends a generation its owner cancelled while it ran, once the vendor said its task stopped
     * having delivered nothing (or before any task was started): CANCELLED, refunded. False if
     * another writer finished first.
     */
    public boolean cancelled(Generation running) {
        return endUncharged(running, GenerationStatus.CANCELLED, null, null).isPresent();
    }

    /** Ends a generation without outputs or charge (FAILED or CANCELLED): its reservation is voided. */
    private Optional<Generation> endUncharged(Generation current, GenerationStatus to, String errorCode, String errorMessage) {
        return settle(current, current.moveTo(to, now()).settled(current.outputs(), 0, 0, errorCode, errorMessage));
    }

    /**
     * The one place a generation ends: in one transaction, a compare-and-set of the row to
     * {@code next} (its status, outputs, charge and delivered units), and its reservation resolved
     * to match: posted for {@code next.chargedCoins()} (a success always posts, also 0 coins),
     * voided when an unsuccessful end charged nothing. A post the ledger refuses because the
     * reservation expired is made after extending it: a vendor answered, so its work was done and
     * billed to genq, and the expiry only bounds how long coins wait for work that may never come.
     * Empty if another writer finished first.
     */
    private Optional<Generation> settle(Generation current, Generation next) {
        long charged = next.chargedCoins();
        boolean post = next.status() == GenerationStatus.SUCCEEDED || charged > 0;
        boolean won = tx.executeWrite(status -> {
            if (!repository.compareAndSet(current, next)) {
                return false;
            }
            LedgerResult resolved = post ? postLate(current.id(), charged, captureReason(next.status()))
                : ledger.voidPending(current.id(), next.status() == GenerationStatus.CANCELLED
                    ? TransferReason.GENERATION_CANCELLED : TransferReason.GENERATION_FAILED);
            if (!resolved.applied()) {
                throw new IllegalStateException("settling generation " + current.id() + " as " + next.status() + " answered " + resolved);
            }
            afterCommit(status, () -> {
                metrics.finished(next);
                publish(next);
            });
            return true;
        });
        return won ? Optional.of(next) : Optional.empty();
    }

    private LedgerResult postLate(UUID reservation, long coins, TransferReason reason) {
        LedgerResult posted = ledger.post(reservation, coins, reason);
        if (posted != LedgerResult.EXPIRED) {
            return posted;
        }
        LOG.info("generation {} settles after its reservation expired; the hold is extended to post it", reservation);
        ledger.extend(reservation, now().plus(deadlineMargin));
        return ledger.post(reservation, coins, reason);
    }

    private static TransferReason captureReason(GenerationStatus to) {
        return to == GenerationStatus.FAILED ? TransferReason.GENERATION_FAILURE_FEE : TransferReason.GENERATION_CAPTURE;
    }

    /** Generations that are QUEUED and older than {@code before} but have no JobRunr job. */
    public List<UUID> queuedWithoutJob(Instant before, int limit) {
        return repository.findQueuedWithoutJob(before, limit);
    }

    public boolean enqueue(UUID generationId) {
        return queue.enqueue(generationId);
    }

    /** Runs {@code action} once the transaction, or the caller's it joined, has committed. */
    private static void afterCommit(TransactionStatus<?> status, Runnable action) {
        status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private long balanceOf(UUID accountId) {
        return ledger.wallet(accountId).map(Wallet::balanceCoins).orElse(0L);
    }

    private static GenqException blocked() {
        return new GenqException(ErrorCode.ACCOUNT_BLOCKED, "this account is blocked; contact support");
    }

    private GenerationView publish(Generation generation) {
        GenerationView view = toView(generation);
        cache.put(view);
        return view;
    }

    private GenerationView toView(Generation g) {
        return new GenerationView(g.id(), g.accountId(), g.model(), g.status(), g.progress(), g.units(), g.priceCoins(),
            g.attempts(), List.of(json.read(g.outputs(), GenerationOutput[].class)), g.errorCode(), g.errorMessage(),
            g.createdAt(), g.startedAt(), g.finishedAt(), g.chargedCoins(), g.deliveredUnits(), g.cancelRequestedAt());
    }

    private static <T> T owned(UUID owner, UUID caller, UUID id, T value) {
        if (!owner.equals(caller)) {
            throw notFound(id);
        }
        return value;
    }

    private static GenqException notFound(UUID id) {
        return GenqException.notFound("generation " + id);
    }

    private Instant now() {
        // PostgreSQL keeps microseconds; truncating here keeps cursors and cached views exact.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
