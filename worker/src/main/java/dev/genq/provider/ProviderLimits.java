package dev.genq.provider;

import dev.genq.infra.RedisScript;
import io.micronaut.core.annotation.Nullable;
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
import redis.clients.jedis.AbstractPipeline;
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
    /**
     * How long an account that was refused a permit counts as waiting for one. Longer than a permit
     * wait's reschedule (2 to 4 s), so a waiting account stays counted between its tries.
     */
    static final Duration WAITING_FOR = Duration.ofSeconds(10);
    /**
     * Takes a permit, fairly across the customer accounts that want one: while others wait, an
     * account already holding its share of the cap (the cap over the accounts wanting permits) yields
     * a freed permit to them. A permit's holder is kept beside it, and an account refused is noted as
     * waiting; both lapse (a dead worker's permits with their lease, a waiter after WAITING_FOR). An
     * empty customer (a job made before genq knew it) takes a permit without a share.
     */
    private static final RedisScript ACQUIRE = new RedisScript("""
        local lapsed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        for _, g in ipairs(lapsed) do redis.call('HDEL', KEYS[2], g) end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[7]))
        local function grant()
          redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          if ARGV[6] ~= '' then
            redis.call('HSET', KEYS[2], ARGV[3], ARGV[6])
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
            redis.call('ZREM', KEYS[3], ARGV[6])
          end
          return 1
        end
        if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return grant() end
        local cap = tonumber(ARGV[2])
        if redis.call('ZCARD', KEYS[1]) < cap then
          if ARGV[6] == '' then return grant() end
          local others = 0
          for _, a in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
            if a ~= ARGV[6] then others = others + 1 end
          end
          if others == 0 then return grant() end
          local mine = 0
          for _, a in ipairs(redis.call('HVALS', KEYS[2])) do
            if a == ARGV[6] then mine = mine + 1 end
          end
          if mine < math.max(1, math.floor(cap / (others + 1))) then return grant() end
        end
        if ARGV[6] ~= '' then
          redis.call('ZADD', KEYS[3], ARGV[1], ARGV[6])
          redis.call('PEXPIRE', KEYS[3], ARGV[7])
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

    /**
     * Takes (or keeps) the permit of one generation's task at the account; false when the account is
     * at its cap, or when {@code customer} holds its share of it while other customers wait.
     */
    public boolean tryAcquireTask(ProviderConfig account, UUID generationId, @Nullable UUID customer) {
        if (account.getMaxConcurrency() <= 0) {
            return true;
        }
        long now = clock.millis();
        try {
            Object granted = ACQUIRE.run(redis, List.of(permitsKey(account), permitsKey(account) + ":holders",
                permitsKey(account) + ":waiting"), List.of(String.valueOf(now), String.valueOf(account.getMaxConcurrency()),
                generationId.toString(), String.valueOf(now + PERMIT_LEASE.toMillis()), String.valueOf(PERMIT_LEASE.toMillis()),
                customer == null ? "" : customer.toString(), String.valueOf(WAITING_FOR.toMillis())));
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
        tryAcquireTask(account, generationId, null);
    }

    public void releaseTask(ProviderConfig account, UUID generationId) {
        if (account.getMaxConcurrency() <= 0) {
            return;
        }
        Set<UUID> held = localPermits.get(account.getName());
        if (held != null) {
            held.remove(generationId);
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.zrem(permitsKey(account), generationId.toString());
            pipeline.hdel(permitsKey(account) + ":holders", generationId.toString());
            pipeline.sync();
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
