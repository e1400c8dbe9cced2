package dev.genq.generation;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.catalog.Priced;
import dev.genq.catalog.Quotes;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.Ids;
import dev.genq.infra.JsonText;
import dev.genq.infra.Transactions;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.Wallet;
import dev.genq.queue.NewWork;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What an account does with its generations: submit (priced, paid for and queued), read the status
 * and the history, cancel. The new status is published to Redis, and a new generation enqueued,
 * only after the commit, also when the work runs inside a caller's transaction (an idempotent request's).
 */
@Singleton
public class Submissions {
    private final GenerationRepository repository;
    private final Admissions admissions;
    private final Settlement settlement;
    private final Ledger ledger;
    private final Quotes quotes;
    private final StatusCache cache;
    private final StatusPublisher publisher;
    private final GenerationMetrics metrics;
    private final GenerationQueue queue;
    private final TransactionOperations<Connection> tx;
    private final JsonText json;
    private final Catalog catalog;
    private final NewWork newWork;
    private final Clock clock;
    private final Dispatch dispatch;

    Submissions(GenerationRepository repository, Admissions admissions, Settlement settlement, Ledger ledger, Quotes quotes,
                StatusCache cache, StatusPublisher publisher, GenerationMetrics metrics, GenerationQueue queue,
                TransactionOperations<Connection> tx, JsonText json, Catalog catalog, NewWork newWork, Dispatch dispatch, Clock clock) {
        this.dispatch = dispatch;
        this.repository = repository;
        this.admissions = admissions;
        this.settlement = settlement;
        this.ledger = ledger;
        this.quotes = quotes;
        this.cache = cache;
        this.publisher = publisher;
        this.metrics = metrics;
        this.queue = queue;
        this.tx = tx;
        this.json = json;
        this.catalog = catalog;
        this.newWork = newWork;
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
            priced.units(), priced.priceCoins(), priced.priceVersion(), quoteId, priced.dedupeKey(), Generation.now(clock));
        GenerationView view = publisher.view(generation, priced.inputs());
        Optional<? extends TransactionStatus<?>> caller = tx.findTransactionStatus();
        Admissions.Outcome outcome = caller.isPresent() ? admissions.admitNow(generation) : admissions.admitBatched(generation, view);
        switch (outcome) {
            case ADMITTED -> { }
            case INSUFFICIENT_FUNDS -> throw new GenqException(ErrorCode.INSUFFICIENT_FUNDS, "this costs "
                + generation.priceCoins() + " coins and the wallet has " + balanceOf(accountId) + " available");
            case ACCOUNT_BLOCKED -> throw new GenqException(ErrorCode.ACCOUNT_BLOCKED, "this account is blocked; contact support");
            case DUPLICATE_ACTIVE -> throw new GenqException(ErrorCode.DUPLICATE_ACTIVE,
                "this account already has an active " + generation.model() + " generation for the same target");
        }
        Runnable admitted = () -> {
            metrics.submitted(generation.model(), generation.priceCoins());
            if (dispatch.admit(generation.accountId(), generation.id(), generation.model(), generation.createdAt().toEpochMilli())) {
                queue.enqueueSoon(generation.id(), generation.model(), generation.accountId());
            }
        };
        // a batch published its admitted generations already; the caller's transaction publishes on its commit
        caller.ifPresentOrElse(status -> Transactions.afterCommit(status, () -> {
            publisher.publish(view);
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
        StatusCache.Entry entry = cache.entry(id)
            .orElseGet(() -> cache.entryOf(publisher.publish(repository.findById(id).orElseThrow(() -> notFound(id)))));
        if (!entry.accountId().equals(accountId)) {
            throw notFound(id);
        }
        return entry;
    }

    /** Newest first, strictly after {@code cursor} (the first page when it is {@link HistoryCursor#START}). */
    public List<GenerationView> history(UUID accountId, HistoryCursor cursor, int limit) {
        return repository.findPage(accountId, cursor.createdAt(), cursor.id(), limit).stream().map(publisher::view).toList();
    }

    /**
     * The owner's cancel. A QUEUED generation ends CANCELLED at once, refunded. A RUNNING one of a
     * model that allows cancelling after the start ({@link Model#cancellableAfterStart}) is marked,
     * and its check made due now: its worker cancels at the vendor and settles what the vendor says
     * it delivered (see {@link Settlement#succeed}, {@link Settlement#cancelled}). Anything else is
     * invalid_state, saying why.
     */
    public GenerationView cancel(UUID id, UUID accountId) {
        Generation current = repository.findById(id).filter(g -> g.accountId().equals(accountId))
            .orElseThrow(() -> notFound(id));
        if (current.status() == GenerationStatus.QUEUED) {
            Optional<Generation> ended = settlement.endUncharged(current, GenerationStatus.CANCELLED, null, null);
            if (ended.isPresent()) {
                return publisher.view(ended.get());
            }
            current = repository.findById(id).orElseThrow(() -> notFound(id)); // it started meanwhile
        }
        if (current.status() == GenerationStatus.CANCELLED) {
            return publisher.view(current); // cancelled already: asking again answers the same
        }
        if (current.status() != GenerationStatus.RUNNING) {
            throw new GenqException(ErrorCode.INVALID_STATE, "this generation is " + current.status() + " and can no longer be cancelled");
        }
        if (!catalog.find(current.model()).map(Model::cancellableAfterStart).orElse(false)) {
            throw new GenqException(ErrorCode.INVALID_STATE, "this generation is RUNNING, and " + current.model()
                + " can only be cancelled before its vendor starts it");
        }
        return publisher.view(current.cancelRequestedAt() != null ? current : requestCancel(current));
    }

    /** Marks a RUNNING generation for its worker to cancel at the vendor; the row as it is when another writer came first. */
    private Generation requestCancel(Generation running) {
        Instant now = Generation.now(clock);
        Optional<Generation> marked = tx.executeWrite(status -> {
            Optional<Generation> row = repository.requestCancel(running.id(), now).stream().findFirst();
            row.ifPresent(g -> {
                if (repository.makeDue(g.id(), now, null) == 1) {
                    Transactions.afterCommit(status, newWork::announceChecksDue);
                }
                Transactions.afterCommit(status, () -> publisher.publish(g));
            });
            return row;
        });
        return marked.orElseGet(() -> repository.findById(running.id()).orElseThrow(() -> notFound(running.id())));
    }

    /** Cancels the account's QUEUED generations (refunding each) because the account stopped paying; returns how many. */
    public int cancelQueued(UUID accountId, String errorCode, String reason) {
        int cancelled = 0;
        for (Generation g : repository.findQueued(accountId, Integer.MAX_VALUE)) {
            if (settlement.endUncharged(g, GenerationStatus.CANCELLED, errorCode, reason).isPresent()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    /** Publishes these generations' committed rows again (retention changed them). */
    public void republish(java.util.Collection<UUID> ids) {
        publisher.publishAll(ids.stream().map(repository::findById).flatMap(java.util.Optional::stream).toList());
    }

    private long balanceOf(UUID accountId) {
        return ledger.wallet(accountId).map(Wallet::balanceCoins).orElse(0L);
    }

    private static GenqException notFound(UUID id) {
        return GenqException.notFound("generation " + id);
    }
}
