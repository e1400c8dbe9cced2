package dev.genq.generation;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.BatchSql;
import dev.genq.infra.Batcher;
import dev.genq.infra.DatabaseOutage;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerResult;
import dev.genq.ledger.Reservation;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits new generations: inserts the QUEUED row and reserves its price, in one transaction.
 *
 * <p>Submits that arrive together are admitted together ({@link #admitBatched}): one background
 * thread takes whatever is waiting and admits it in one transaction of five statements, so a burst
 * of submits costs one commit and, per account, one wallet write, instead of one each, all queued
 * behind the same wallet row lock. Each submit still gets its own answer, exactly what admitting it
 * alone would have given (see {@link Ledger#reserveAll}); if a batch fails, each of its submits is
 * tried alone, so one bad submit cannot fail the others. A batch's admitted generations are
 * published to the status cache together, in one round trip, before their submits are answered.
 */
@Singleton
class Admissions {
    private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);
    private static final int MAX_BATCH = 256;

    enum Outcome { ADMITTED, INSUFFICIENT_FUNDS, ACCOUNT_BLOCKED, DUPLICATE_ACTIVE }

    private record Waiting(Generation generation, GenerationView view, CompletableFuture<Outcome> outcome) {
    }

    private final Ledger ledger;
    private final BatchSql sql;
    private final TransactionOperations<Connection> tx;
    private final Duration reservationTtl;
    private final Batcher<Waiting> waiting;
    private final StatusCache cache;

    Admissions(Ledger ledger, BatchSql sql, TransactionOperations<Connection> tx, GenerationConfig config, StatusCache cache) {
        this.ledger = ledger;
        this.cache = cache;
        this.sql = sql;
        this.tx = tx;
        this.reservationTtl = config.getReservationTtl(); // read once: the config getter converts on every call
        this.waiting = new Batcher<>("genq-admissions", MAX_BATCH, this::flush);
    }

    /** Admits within the caller's transaction, which must exist; nothing is visible before it commits. */
    Outcome admitNow(Generation generation) {
        return admitAll(List.of(generation)).getFirst();
    }

    /** Admits in the next batch and waits for its commit; {@code view}, the generation's, is published if admitted. */
    Outcome admitBatched(Generation generation, GenerationView view) {
        Waiting w = new Waiting(generation, view, new CompletableFuture<>());
        if (!waiting.add(w)) {
            throw new GenqException(ErrorCode.UNAVAILABLE, "this node is shutting down; retry on another");
        }
        try {
            return w.outcome().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Inserts the rows (a generation whose dedupe key is taken by an active one is not inserted),
     * reserves for those inserted, and deletes again, in the same transaction, the rows whose
     * reservation was refused: a refusal leaves nothing behind.
     */
    private List<Outcome> admitAll(List<Generation> batch) {
        Set<UUID> inserted = insertQueued(batch);
        List<Generation> fresh = batch.stream().filter(g -> inserted.contains(g.id())).toList();
        List<LedgerResult> reserved = ledger.reserveAll(fresh.stream()
            .map(g -> new Reservation(g.id(), g.accountId(), g.priceCoins(), g.createdAt().plus(reservationTtl)))
            .toList());
        List<UUID> refused = new ArrayList<>();
        Map<UUID, Outcome> outcomes = new HashMap<>();
        for (int i = 0; i < fresh.size(); i++) {
            Outcome outcome = switch (reserved.get(i)) {
                case OK -> Outcome.ADMITTED;
                case INSUFFICIENT_FUNDS -> Outcome.INSUFFICIENT_FUNDS;
                case ACCOUNT_BLOCKED -> Outcome.ACCOUNT_BLOCKED;
                default -> throw new IllegalStateException("reserving new generation " + fresh.get(i).id() + " answered " + reserved.get(i));
            };
            if (outcome != Outcome.ADMITTED) {
                refused.add(fresh.get(i).id());
            }
            outcomes.put(fresh.get(i).id(), outcome);
        }
        if (!refused.isEmpty()) {
            sql.run("DELETE FROM generation WHERE id = ANY (?)", (a, s) -> {
                s.setArray(1, a.of("uuid", refused));
                return s.executeUpdate();
            });
        }
        return batch.stream().map(g -> outcomes.getOrDefault(g.id(), Outcome.DUPLICATE_ACTIVE)).toList();
    }

    /** One multi-row insert; returns the ids inserted. A taken dedupe key skips its row instead of failing the batch. */
    private Set<UUID> insertQueued(List<Generation> batch) {
        return sql.run("""
            INSERT INTO generation (id, account_id, model, inputs, units, price_coins, price_version, quote_id, dedupe_key,
                                    status, created_at, updated_at)
            SELECT g.id, g.account_id, g.model, g.inputs::jsonb, g.units, g.price_coins, g.price_version, g.quote_id,
                   g.dedupe_key, 'QUEUED', g.created_at, g.created_at
            FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::int[], ?::uuid[], ?::text[],
                        ?::timestamptz[])
                 AS g(id, account_id, model, inputs, units, price_coins, price_version, quote_id, dedupe_key, created_at)
            ON CONFLICT DO NOTHING RETURNING id""", (a, s) -> {
            s.setArray(1, a.of("uuid", batch.stream().map(Generation::id).toList()));
            s.setArray(2, a.of("uuid", batch.stream().map(Generation::accountId).toList()));
            s.setArray(3, a.of("text", batch.stream().map(Generation::model).toList()));
            s.setArray(4, a.of("text", batch.stream().map(Generation::inputs).toList()));
            s.setArray(5, a.of("int", batch.stream().map(Generation::units).toList()));
            s.setArray(6, a.of("bigint", batch.stream().map(Generation::priceCoins).toList()));
            s.setArray(7, a.of("int", batch.stream().map(Generation::priceVersion).toList()));
            s.setArray(8, a.of("uuid", batch.stream().map(Generation::quoteId).toList()));
            s.setArray(9, a.of("text", batch.stream().map(Generation::dedupeKey).toList()));
            s.setArray(10, a.of("timestamptz", batch.stream().map(g -> Timestamp.from(g.createdAt())).toList()));
            return BatchSql.uuidsOf(s);
        });
    }

    private void flush(List<Waiting> batch) {
        List<Outcome> outcomes;
        try {
            outcomes = tx.executeWrite(status -> admitAll(batch.stream().map(Waiting::generation).toList()));
        } catch (RuntimeException e) {
            if (batch.size() == 1 || DatabaseOutage.isCause(e)) { // one by one would wait out the outage once per submit
                batch.forEach(w -> w.outcome().completeExceptionally(e));
                return;
            }
            LOG.info("admitting a batch of {} failed ({}); admitting them one by one", batch.size(), e.toString());
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<Outcome> alone = batch.get(i).outcome();
                flush(List.of(batch.get(i)));
                if (alone.isCompletedExceptionally() && DatabaseOutage.isCause(alone.exceptionNow())) {
                    Throwable outage = alone.exceptionNow(); // the rest would each wait out the outage in turn
                    batch.subList(i + 1, batch.size()).forEach(w -> w.outcome().completeExceptionally(outage));
                    return;
                }
            }
            return;
        }
        publish(batch, outcomes);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome().complete(outcomes.get(i));
        }
    }

    /** Committed already: a status that cannot be published is only a cache miss, never a failed submit. */
    private void publish(List<Waiting> batch, List<Outcome> outcomes) {
        try {
            List<GenerationView> admitted = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes.get(i) == Outcome.ADMITTED) {
                    admitted.add(batch.get(i).view());
                }
            }
            cache.putAll(admitted);
        } catch (RuntimeException e) {
            LOG.error("publishing {} admitted generations failed; their status is read from PostgreSQL until it changes", batch.size(), e);
        }
    }

    @PreDestroy
    void stop() {
        waiting.close();
    }
}
