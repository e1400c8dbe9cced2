package dev.genq.infra;

import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import io.micronaut.transaction.support.TransactionSynchronization;

/** What genq's writers do around a transaction: act once it committed, and batch only outside a caller's transaction. */
public final class Transactions {
    private Transactions() {
    }

    /** Runs {@code action} once the transaction, or the caller's it joined, has committed. */
    public static void afterCommit(TransactionStatus<?> status, Runnable action) {
        status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    /** Inside a caller's transaction a write must see and join it, so it goes alone on the caller's connection. */
    public static <Q, A> A batched(TransactionOperations<?> tx, BatchedCalls<Q, A> calls, Q request) {
        return tx.findTransactionStatus().isPresent() ? calls.alone(request) : calls.call(request);
    }
}
