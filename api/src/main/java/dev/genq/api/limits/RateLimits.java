package dev.genq.api.limits;

import dev.genq.infra.RedisScript;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Requests per second per bucket (a key, an account), counted in Redis per one-second window so the
 * limit holds across api nodes. A node leases a slice of a window's allowance at a time (a tenth of
 * the limit) and spends it locally, so a request costs a Redis round trip only once per slice; a
 * slice's unspent part lapses with its window, which can only leave a limit under-used, never
 * exceeded. Redis unreachable: requests pass (a limit must not become an outage).
 */
@Singleton
public class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    /** Takes up to ARGV[2] of the window's ARGV[1]; answers how many it got (0: the window is spent). */
    private static final RedisScript LEASE = new RedisScript("""
        local used = redis.call('INCRBY', KEYS[1], ARGV[2])
        if used == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], 2000) end
        local granted = math.min(tonumber(ARGV[2]), tonumber(ARGV[1]) - (used - tonumber(ARGV[2])))
        if granted < 0 then return 0 end
        return granted""");

    private static final int MAX_BUCKETS = 100_000;
    private final JedisPooled redis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();

    public RateLimits(JedisPooled redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Tokens this node may still spend in one window. */
    private static final class Lease {
        long window;
        long remaining;
    }

    /** Takes one request from the bucket; empty if allowed, else how long until the next window. */
    public Optional<Duration> take(String bucket, int perSecond) {
        long now = clock.millis();
        long window = now / 1000;
        if (leases.size() > MAX_BUCKETS) {
            leases.values().removeIf(l -> l.window < window - 1); // buckets idle since before the last window
        }
        Lease lease = leases.computeIfAbsent(bucket, b -> new Lease());
        synchronized (lease) {
            if (lease.window == window && lease.remaining > 0) {
                lease.remaining--;
                return Optional.empty();
            }
            if (lease.window == window && lease.remaining < 0) {
                return Optional.of(Duration.ofMillis(1000 - now % 1000)); // this window is spent cluster-wide
            }
            long granted;
            try {
                granted = (Long) LEASE.run(redis, List.of("genq:rate:" + bucket + ":" + window),
                    List.of(String.valueOf(perSecond), String.valueOf(Math.max(1, perSecond / 10))));
            } catch (JedisException | ClassCastException e) {
                LOG.debug("rate limit of {} not checked: {}", bucket, e.toString());
                return Optional.empty();
            }
            lease.window = window;
            lease.remaining = granted > 0 ? granted - 1 : -1;
            return granted > 0 ? Optional.empty() : Optional.of(Duration.ofMillis(1000 - now % 1000));
        }
    }
}
