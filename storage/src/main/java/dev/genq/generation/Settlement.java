package dev.genq.generation;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.infra.BatchSql;
import dev.genq.infra.BatchedCalls;
import dev.genq.infra.JsonText;
import dev.genq.infra.Transactions;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerResult;
import dev.genq.ledger.TransferReason;
import dev.genq.queue.NewWork;
import dev.genq.webhook.GenerationEnded;
import dev.genq.webhook.Webhooks;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money of a generation's end: every way a generation ends (succeeded, failed, cancelled) is
 * here, each a compare-and-set of the row in the same transaction as its ledger operation (post
 * what was delivered, or void the reservation: the refund), and the status published once
 * committed. Also the one extension of a hold while a vendor may still deliver.
 */
@Singleton
public class Settlement {
    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);
    private final GenerationRepository repository;
    private final Ledger ledger;
    private final Catalog catalog;
    private final StatusPublisher publisher;
    private final GenerationMetrics metrics;
    private final TransactionOperations<Connection> tx;
    private final BatchSql sql;
    private final JsonText json;
    private final NewWork newWork;
    private final Clock clock;
    private final Webhooks webhooks;
    private final Duration deadlineMargin; // read once: a configuration getter converts on every call
    private final BatchedCalls<Success, Boolean> successes = new BatchedCalls<>("genq-successes", 200, b -> b.running().id(), this::succeedAll);

    Settlement(GenerationRepository repository, Ledger ledger, Catalog catalog, StatusPublisher publisher, GenerationMetrics metrics,
               TransactionOperations<Connection> tx, BatchSql sql, JsonText json, NewWork newWork, GenerationConfig config,
               Webhooks webhooks, Clock clock) {
        this.webhooks = webhooks;
        this.repository = repository;
        this.ledger = ledger;
        this.catalog = catalog;
        this.publisher = publisher;
        this.metrics = metrics;
        this.tx = tx;
        this.sql = sql;
        this.json = json;
        this.newWork = newWork;
        this.clock = clock;
        this.deadlineMargin = config.getDeadlineMargin();
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
    public boolean succeed(Generation running, List<GenerationOutput> delivered, int deliveredUnits) {
        int units = Math.clamp(deliveredUnits, 0, running.units());
        long charged = Math.multiplyExact(running.priceCoins(), units) / running.units();
        boolean cancelTook = running.cancelRequestedAt() != null && units < running.units();
        Generation next = running.moveTo(cancelTook ? GenerationStatus.CANCELLED : GenerationStatus.SUCCEEDED, now())
            .settled(json.write(delivered), charged, units, null, null);
        return cancelTook ? settle(running, next).isPresent() : Transactions.batched(tx, successes, new Success(running, next));
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

    /** Ends a generation without outputs or charge (FAILED or CANCELLED): its reservation is voided. Empty if another writer came first. */
    Optional<Generation> endUncharged(Generation current, GenerationStatus to, String errorCode, String errorMessage) {
        return settle(current, current.moveTo(to, now()).settled(current.outputs(), 0, 0, errorCode, errorMessage));
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
            webhooks.ended(batch.stream().filter(b -> written.contains(b.running().id())).map(b -> ended(b.next())).toList());
            return written;
        });
        List<Boolean> answers = new ArrayList<>();
        List<Generation> ended = new ArrayList<>();
        for (Success b : batch) {
            boolean mine = won.contains(b.running().id());
            if (mine) {
                metrics.finished(b.next());
                ended.add(b.next());
            }
            answers.add(mine);
        }
        publisher.publishAll(ended);
        return answers;
    }

    /** The compare-and-set of {@link GenerationRepository#compareAndSet} for many successes; returns the ids written. */
    private Set<UUID> writeSuccesses(List<Success> batch) {
        return sql.run("""
            UPDATE generation g SET status = v.status, progress = v.progress, outputs = v.outputs::jsonb,
                                    finished_at = v.finished_at, updated_at = v.finished_at,
                                    charged_coins = v.charged, delivered_units = v.delivered
            FROM unnest(?::uuid[], ?::text[], ?::int[], ?::text[], ?::int[], ?::text[], ?::timestamptz[], ?::bigint[], ?::int[])
                 AS v(id, expected_status, expected_attempts, status, progress, outputs, finished_at, charged, delivered)
            WHERE g.id = v.id AND g.status = v.expected_status AND g.attempts = v.expected_attempts
            RETURNING g.id""", (a, s) -> {
            bindExpected(a, s, batch.stream().map(Success::running).toList());
            s.setArray(4, a.of("text", batch.stream().map(b -> b.next().status().name()).toList())); // moveTo checked each
            s.setArray(5, a.of("int", batch.stream().map(b -> b.next().progress()).toList()));
            s.setArray(6, a.of("text", batch.stream().map(b -> b.next().outputs()).toList()));
            s.setArray(7, a.of("timestamptz", batch.stream().map(b -> Timestamp.from(b.next().finishedAt())).toList()));
            s.setArray(8, a.of("bigint", batch.stream().map(b -> b.next().chargedCoins()).toList()));
            s.setArray(9, a.of("int", batch.stream().map(b -> b.next().deliveredUnits()).toList()));
            return BatchSql.uuidsOf(s);
        });
    }

    /**
     * Binds parameters 1 to 3 of a batched compare-and-set: each row's id and the status and attempts
     * it must still have ({@code v(id, expected_status, expected_attempts, ...)}).
     */
    static void bindExpected(BatchSql.Arrays a, PreparedStatement s, List<Generation> seen) throws SQLException {
        s.setArray(1, a.of("uuid", seen.stream().map(Generation::id).toList()));
        s.setArray(2, a.of("text", seen.stream().map(g -> g.status().name()).toList()));
        s.setArray(3, a.of("int", seen.stream().map(Generation::attempts).toList()));
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
            webhooks.ended(List.of(ended(next))); // the customer's webhooks, in the same transaction as the end
            Transactions.afterCommit(status, () -> {
                metrics.finished(next);
                publisher.publish(next);
            });
            return true;
        });
        return won ? Optional.of(next) : Optional.empty();
    }

    /** What a customer's webhook says of an end. */
    private static GenerationEnded ended(Generation g) {
        return new GenerationEnded(g.id(), g.accountId(), g.model(), g.status().name(), g.priceCoins(), g.chargedCoins(),
            g.chargedCoins() == null ? null : g.priceCoins() - g.chargedCoins(), g.deliveredUnits(),
            g.errorCode() == null ? null : new GenerationEnded.Error(g.errorCode(), g.errorMessage()), g.createdAt(), g.finishedAt());
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

    private Instant now() {
        return Generation.now(clock);
    }

    @PreDestroy
    void stop() {
        successes.close();
    }
}
