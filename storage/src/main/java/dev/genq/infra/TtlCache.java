package dev.genq.infra;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A small in-process cache whose entries are reloaded after a fixed age: what keeps key lookups off
 * the request path while a revocation still lands within that age on every node. A load that
 * finds nothing is not cached, so a new key works at once.
 */
public final class TtlCache<K, V> {
    private final Duration ttl;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public TtlCache(Duration ttl) {
        this.ttl = ttl;
    }

    /** The cached value while it is younger than the ttl and still {@code valid}, else {@code load}'s. */
    public Optional<V> get(K key, Predicate<V> valid, Function<K, Optional<V>> load) {
        long now = System.nanoTime();
        Entry<V> hit = entries.get(key);
        if (hit != null && now - hit.loadedAtNanos() < ttl.toNanos() && valid.test(hit.value())) {
            return Optional.of(hit.value());
        }
        Optional<V> loaded = load.apply(key);
        loaded.ifPresentOrElse(v -> entries.put(key, new Entry<>(v, now)), () -> entries.remove(key));
        return loaded;
    }

    public void removeIf(Predicate<V> stale) {
        entries.values().removeIf(e -> stale.test(e.value()));
    }

    private record Entry<V>(V value, long loadedAtNanos) {
    }
}
