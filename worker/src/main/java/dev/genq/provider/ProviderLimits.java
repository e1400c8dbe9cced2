package dev.genq.provider;

import dev.genq.infra.RedisScript;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Cluster-wide limits per provider account, shared by every worker through Redis: a cap on tasks
 * running at the vendor (a permit per generation, held until it ends, with a lease so a dead
 * worker's permits come back) and a cap on requests per second.
 *
 * <p>When Redis is unreachable, each worker falls back to enforcing the limits alone at
 * {@code 1 / fallback-divisor} of them. Work slows but goes on, and the vendor's cap is overrun
 * only if more workers run than the divisor assumes; failing closed would stop all generation for
 * a cache outage, failing open would risk the vendor's ban and bill.
 */
@Singleton
public class ProviderLimits {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderLimits.class);
    /** Longer than the slowest check cadence (30 s), so a live task's permit never lapses between refreshes. */
    static final Duration PERMIT_LEASE = Duration.ofMinutes(5);
    private static final RedisScript ACQUIRE = new RedisScript("""
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          return 1
        end
        return 0""");
    private static final RedisScript CALL = new RedisScript("""
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
        if n > tonumber(ARGV[1]) then return 0 end
        return 1""");

    private final JedisPooled redis;
    private final Clock clock;
    private final Map<String, Set<UUID>> localPermits = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> localCalls = new ConcurrentHashMap<>();
    private final AtomicLong lastWarningMs = new AtomicLong();

    public ProviderLimits(JedisPooled redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Takes (or keeps) the permit of one generation's task at the account; false when the account is at its cap. */
    public boolean tryAcquireTask(ProviderConfig account, UUID generationId) {
        if (account.getMaxConcurrency() <= 0) {
            return true;
        }
        long now = clock.millis();
        try {
            Object granted = ACQUIRE.run(redis, List.of(permitsKey(account)), List.of(String.valueOf(now),
                String.valueOf(account.getMaxConcurrency()), generationId.toString(),
                String.valueOf(now + PERMIT_LEASE.toMillis()), String.valueOf(PERMIT_LEASE.toMillis())));
            return Long.valueOf(1).equals(granted);
        } catch (JedisException e) {
            warnFallback(account, e);
            Set<UUID> held = localPermits.computeIfAbsent(account.getName(), k -> ConcurrentHashMap.newKeySet());
            synchronized (held) {
                if (held.contains(generationId) || held.size() < fallback(account.getMaxConcurrency(), account)) {
                    held.add(generationId);
                    return true;
                }
                return false;
            }
        }
    }

    /** Extends a running task's permit; called on every check. */
    public void refreshTask(ProviderConfig account, UUID generationId) {
        tryAcquireTask(account, generationId);
    }

    public void releaseTask(ProviderConfig account, UUID generationId) {
        if (account.getMaxConcurrency() <= 0) {
            return;
        }
        Set<UUID> held = localPermits.get(account.getName());
        if (held != null) {
            held.remove(generationId);
        }
        try {
            redis.zrem(permitsKey(account), generationId.toString());
        } catch (JedisException e) {
            LOG.debug("releasing a permit of {} in Redis failed; its lease frees it: {}", account.getName(), e.toString());
        }
    }

    /** Counts one request against the account's per-second cap; false when this second is full. */
    public boolean tryCall(ProviderConfig account) {
        if (account.getMaxRequestsPerSecond() <= 0) {
            return true;
        }
        long second = clock.millis() / 1000;
        try {
            Object granted = CALL.run(redis, List.of("genq:rps:" + account.getName() + ":" + second),
                List.of(String.valueOf(account.getMaxRequestsPerSecond())));
            return Long.valueOf(1).equals(granted);
        } catch (JedisException e) {
            warnFallback(account, e);
            AtomicLong window = localCalls.computeIfAbsent(account.getName(), k -> new AtomicLong());
            long packed = window.updateAndGet(w -> (w >>> 20) == second ? w + 1 : (second << 20) + 1);
            return (packed & 0xFFFFF) <= fallback(account.getMaxRequestsPerSecond(), account);
        }
    }

    private static int fallback(int limit, ProviderConfig account) {
        return Math.max(1, limit / Math.max(1, account.getFallbackDivisor()));
    }

    private static String permitsKey(ProviderConfig account) {
        return "genq:permits:" + account.getName();
    }

    /** At most one warning per 30 s: during an outage every call would otherwise log. */
    private void warnFallback(ProviderConfig account, JedisException e) {
        long now = clock.millis();
        long last = lastWarningMs.get();
        if (now - last > 30_000 && lastWarningMs.compareAndSet(last, now)) {
            LOG.warn("Redis unreachable; limiting provider {} on this worker alone: {}", account.getName(), e.toString());
        }
    }
}
