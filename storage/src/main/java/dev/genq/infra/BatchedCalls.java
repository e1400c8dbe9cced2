package dev.genq.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking call whose work is done in batches: concurrent callers each wait for their own answer
 * while one {@link Batcher} thread writes all their requests with one statement. Two requests with
 * the same key (one row) never share a batch, since a statement writes a row once and both would
 * read its answer as theirs. A batch that fails is written again one request at a time, so a bad
 * request fails only its own caller.
 *
 * @param <Q> a request
 * @param <A> its answer
 */
public final class BatchedCalls<Q, A> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchedCalls.class);
    private final String name;
    private final Function<Q, ?> key;
    private final Function<List<Q>, List<A>> write;
    private final Batcher<Call<Q, A>> batcher;

    private record Call<Q, A>(Q request, CompletableFuture<A> answer) {
    }

    /** {@code write} answers a list of requests in their order; it is also called with a list of one. */
    public BatchedCalls(String name, int maxBatch, Function<Q, ?> key, Function<List<Q>, List<A>> write) {
        this.name = name;
        this.key = key;
        this.write = write;
        this.batcher = new Batcher<>(name, maxBatch, this::writeAll);
    }

    /** Thrown by {@code write} to have a batch written one request at a time, as an answer, not a fault. */
    public static final class Refused extends RuntimeException {
        public Refused() {
            super(null, null, false, false);
        }
    }

    /** Waits for the answer of the batch this request went into; after close, writes it alone. */
    public A call(Q request) {
        Call<Q, A> call = new Call<>(request, new CompletableFuture<>());
        if (!batcher.add(call)) {
            return alone(request);
        }
        try {
            return call.answer().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Writes the request alone on the calling thread (inside its transaction, if it has one). */
    public A alone(Q request) {
        return write.apply(List.of(request)).getFirst();
    }

    private void writeAll(List<Call<Q, A>> batch) {
        Set<Object> seen = new HashSet<>();
        List<Call<Q, A>> firsts = new ArrayList<>();
        List<Call<Q, A>> repeats = new ArrayList<>();
        batch.forEach(c -> (seen.add(key.apply(c.request())) ? firsts : repeats).add(c));
        if (!repeats.isEmpty()) {
            writeAll(firsts);
            writeAll(repeats);
            return;
        }
        if (batch.size() > 1) {
            try {
                answer(batch, write.apply(batch.stream().map(Call::request).toList()));
                return;
            } catch (Refused e) {
                // the writer wants these one by one
            } catch (RuntimeException e) {
                LOG.info("{}: a batch of {} failed ({}); writing each alone", name, batch.size(), e.toString());
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                answer(List.of(batch.get(i)), write.apply(List.of(batch.get(i).request())));
            } catch (RuntimeException e) {
                batch.get(i).answer().completeExceptionally(e);
                if (DatabaseOutage.isCause(e)) { // the rest would each wait out the outage in turn
                    batch.subList(i + 1, batch.size()).forEach(c -> c.answer().completeExceptionally(e));
                    return;
                }
            }
        }
    }

    private static <Q, A> void answer(List<Call<Q, A>> calls, List<A> answers) {
        for (int i = 0; i < calls.size(); i++) {
            calls.get(i).answer().complete(answers.get(i));
        }
    }

    @Override
    public void close() {
        batcher.close();
    }
}
