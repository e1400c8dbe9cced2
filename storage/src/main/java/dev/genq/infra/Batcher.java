package dev.genq.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects items from many threads and hands them to {@code flush} in batches, on one background
 * thread: whatever waits when the previous flush ends goes in the next, so batches grow with load
 * and a lone item waits for no timer. This is how hot paths turn one write per request into one per
 * batch. Closing flushes what is left.
 */
public final class Batcher<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);
    private final LinkedBlockingQueue<T> waiting = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Consumer<List<T>> flush;
    private final Thread flusher;
    private volatile boolean open = true;

    public Batcher(String name, int maxBatch, Consumer<List<T>> flush) {
        this.maxBatch = maxBatch;
        this.flush = flush;
        this.flusher = Thread.ofVirtual().name(name).start(this::flushUntilClosed);
    }

    /** Queues an item for the next batch; false once closed. */
    public boolean add(T item) {
        if (!open) {
            return false;
        }
        waiting.add(item);
        return true;
    }

    private void flushUntilClosed() {
        List<T> batch = new ArrayList<>(maxBatch);
        while (open || !waiting.isEmpty()) {
            try {
                T first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, maxBatch - 1);
                flush.accept(List.copyOf(batch));
            } catch (InterruptedException e) {
                open = false;
            } catch (RuntimeException e) {
                LOG.warn("{}: a batch of {} failed: {}", flusher.getName(), batch.size(), e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            flusher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
