package dev.genq.generation;

import dev.genq.catalog.Priced;
import dev.genq.catalog.Quotes;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.Ids;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.TransferReason;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place where a generation changes state. Every change is a compare-and-set on the row,
 * made in the same transaction as its ledger operation (reserve, post or void); the new status is
 * published to Redis only after commit.
 */
@Singleton
public class Generations {
    private final GenerationRepository repository;
    private final Ledger ledger;
    private final Quotes quotes;
    private final StatusCache cache;
    private final GenerationMetrics metrics;
    private final GenerationQueue queue;
    private final GenerationConfig config;
    private final TransactionOperations<Connection> tx;
    private final JsonMapper json;
    private final Clock clock;

    Generations(GenerationRepository repository, Ledger ledger, Quotes quotes, StatusCache cache,
                GenerationMetrics metrics, GenerationQueue queue, GenerationConfig config,
                TransactionOperations<Connection> tx, JsonMapper json, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.quotes = quotes;
        this.cache = cache;
        this.metrics = metrics;
        this.queue = queue;
        this.config = config;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** Prices, then in one transaction inserts the QUEUED generation and reserves its price; then enqueues. */
    public GenerationView submit(UUID accountId, String model, Map<String, Object> inputs, UUID quoteId) {
        Priced priced = quotes.priceForSubmit(accountId, model, inputs, quoteId);
        Instant now = now();
        Generation generation = Generation.queued(Ids.next(), accountId, priced.model().id(),
            toJson(priced.inputs()), priced.units(), priced.priceCoins(), quoteId, now);
        tx.executeWrite(status -> {
            repository.save(generation);
            ledger.reserve(generation.id(), accountId, generation.priceCoins(), now.plus(config.getReservationTtl()));
            return null;
        });
        metrics.submitted(generation.model(), generation.priceCoins());
        GenerationView view = publish(generation);
        queue.enqueue(generation.id());
        return view;
    }

    /** The owner's view of a generation, from Redis when it is there; another account's is not found. */
    public GenerationView view(UUID id, UUID accountId) {
        Optional<GenerationView> cached = cache.get(id);
        if (cached.isPresent()) {
            return owned(cached.get().accountId(), accountId, id, cached.get());
        }
        Generation generation = repository.findById(id).orElseThrow(() -> notFound(id));
        return owned(generation.accountId(), accountId, id, publish(generation));
    }

    /** Newest first, strictly after {@code cursor} (the first page when it is {@link HistoryCursor#START}). */
    public List<GenerationView> history(UUID accountId, HistoryCursor cursor, int limit) {
        return repository.findPage(accountId, cursor.createdAt(), cursor.id(), limit).stream().map(this::toView).toList();
    }

    /** Cancels a QUEUED generation and refunds it; any other status answers invalid_state. */
    public GenerationView cancel(UUID id, UUID accountId) {
        Generation cancelled = tx.executeWrite(status -> {
            Generation current = repository.findById(id).filter(g -> g.accountId().equals(accountId))
                .orElseThrow(() -> notFound(id));
            if (current.status() != GenerationStatus.QUEUED) {
                throw new GenqException(ErrorCode.INVALID_STATE,
                    "only a QUEUED generation can be cancelled; this one is " + current.status());
            }
            Generation next = current.moveTo(GenerationStatus.CANCELLED, now());
            if (!repository.compareAndSet(current, next)) {
                throw new GenqException(ErrorCode.INVALID_STATE, "the generation started before it could be cancelled");
            }
            ledger.voidPending(id, TransferReason.GENERATION_CANCELLED);
            return next;
        });
        finished(cancelled, 0);
        return publish(cancelled);
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

    /** Progress goes to Redis only: it is advisory and must not cost PostgreSQL writes. */
    public void progress(Generation running, int percent) {
        cache.put(toView(running).withProgress(Math.clamp(percent, 0, 99)));
    }

    /**
     * Records the outputs, marks SUCCEEDED and posts the delivered share of the reservation (3 of 4
     * images pay 3/4, rounded down in the customer's favour); false if another writer finished first.
     */
    public boolean succeed(Generation running, List<GenerationOutput> outputs, int deliveredUnits) {
        int delivered = Math.clamp(deliveredUnits, 0, running.units());
        long capturedCoins = Math.multiplyExact(running.priceCoins(), delivered) / running.units();
        Generation next = running.moveTo(GenerationStatus.SUCCEEDED, now()).withOutputs(toJson(outputs));
        boolean won = tx.executeWrite(status -> {
            if (!repository.compareAndSet(running, next)) {
                return false;
            }
            ledger.post(running.id(), capturedCoins, TransferReason.GENERATION_CAPTURE);
            return true;
        });
        if (won) {
            finished(next, capturedCoins);
            publish(next);
        }
        return won;
    }

    /** Marks FAILED with a code and voids the reservation: the refund. False if another writer finished first. */
    public boolean fail(Generation current, String errorCode, String errorMessage) {
        Generation next = current.moveTo(GenerationStatus.FAILED, now()).withError(errorCode, errorMessage);
        boolean won = tx.executeWrite(status -> {
            if (!repository.compareAndSet(current, next)) {
                return false;
            }
            ledger.voidPending(current.id(), TransferReason.GENERATION_FAILED);
            return true;
        });
        if (won) {
            finished(next, 0);
            publish(next);
        }
        return won;
    }

    /** Generations that are QUEUED and older than {@code before} but have no JobRunr job. */
    public List<UUID> queuedWithoutJob(Instant before, int limit) {
        return repository.findQueuedWithoutJob(before, limit);
    }

    public boolean enqueue(UUID generationId) {
        return queue.enqueue(generationId);
    }

    private void finished(Generation generation, long postedCoins) {
        metrics.coins("posted", postedCoins);
        metrics.coins("voided", generation.priceCoins() - postedCoins);
        metrics.finished(generation.model(), generation.status());
    }

    private GenerationView publish(Generation generation) {
        GenerationView view = toView(generation);
        cache.put(view);
        return view;
    }

    private GenerationView toView(Generation g) {
        return new GenerationView(g.id(), g.accountId(), g.model(), g.status(), g.progress(), g.units(), g.priceCoins(),
            g.attempts(), outputsOf(g), g.errorCode(), g.errorMessage(), g.createdAt(), g.startedAt(), g.finishedAt());
    }

    private List<GenerationOutput> outputsOf(Generation g) {
        try {
            return List.of(json.readValue(g.outputs(), GenerationOutput[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
