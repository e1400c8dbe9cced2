package dev.genq.routing;

import dev.genq.infra.RedisScript;
import dev.genq.infra.StopSignal;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A circuit breaker per route, shared by all workers through one Redis hash per route. It opens when
 * the failure share of a window's calls passes the configured ratio, refuses calls for the cool-down,
 * then lets exactly one probe through (half-open): a success closes it, a failure opens it again.
 *
 * <p>A healthy route costs no Redis call per generation: a worker that has read a breaker as closed
 * trusts that for {@link BreakerConfig#getLocalFor()}, and gathers its successful calls to count
 * them in Redis at that pace (each count reads the state afresh). A failure is counted at once,
 * with the successes gathered before it, so the ratio a breaker opens at is the same as if every
 * call had been counted on its own; another worker's opening reaches this one within that time.
 *
 * <p>While Redis is unreachable every route counts as closed: failover then happens call by call
 * (a failed submit still moves on to the next route), and the per-account limits keep their own
 * fallback, so a cache outage never stops generation.
 */
@Singleton
public class RouteHealth {
    private static final Logger LOG = LoggerFactory.getLogger(RouteHealth.class);
    private static final String PREFIX = "genq:route:";
    /** Returns 2 if a call may go because the breaker is closed, 1 if this caller is the probe of an open one past its cool-down, else 0. */
    private static final RedisScript ALLOW = new RedisScript("""
        local state = redis.call('HGET', KEYS[1], 'state')
        if not state or state == 'closed' then return 2 end
        local now = tonumber(ARGV[1])
        if state == 'open' and now - tonumber(redis.call('HGET', KEYS[1], 'opened')) >= tonumber(ARGV[2]) then
          redis.call('HSET', KEYS[1], 'state', 'half_open', 'probe', now)
          return 1
        end
        if state == 'half_open' and now - tonumber(redis.call('HGET', KEYS[1], 'probe')) >= tonumber(ARGV[2]) then
          redis.call('HSET', KEYS[1], 'probe', now)
          return 1
        end
        return 0""");
    /**
     * Counts calls; returns the state after them, or 'opened' when they opened it. ARGV: now, successes,
     * failures, window, min calls, ratio, and '1' when a call's own outcome is among them ('0': only
     * gathered successes, which must not close a half-open breaker in place of its probe).
     */
    private static final RedisScript RECORD = new RedisScript("""
        local now = tonumber(ARGV[1])
        local failed = tonumber(ARGV[3])
        local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
        local since = tonumber(redis.call('HGET', KEYS[1], 'since') or '0')
        if now - since >= tonumber(ARGV[4]) then
          redis.call('HSET', KEYS[1], 'since', now, 'calls', 0, 'failures', 0)
        end
        local calls = redis.call('HINCRBY', KEYS[1], 'calls', tonumber(ARGV[2]) + failed)
        local failures = redis.call('HINCRBY', KEYS[1], 'failures', failed)
        if state == 'half_open' and ARGV[7] == '1' then
          if failed == 0 then
            redis.call('HSET', KEYS[1], 'state', 'closed', 'since', now, 'calls', 0, 'failures', 0)
            return 'closed'
          end
          redis.call('HSET', KEYS[1], 'state', 'open', 'opened', now)
          return 'opened'
        end
        if state == 'closed' and failed > 0 and calls >= tonumber(ARGV[5]) and failures >= tonumber(ARGV[6]) * calls then
          redis.call('HSET', KEYS[1], 'state', 'open', 'opened', now)
          return 'opened'
        end
        return state""");

    private final JedisPooled redis;
    // The breaker's settings, read once (a config getter converts on every call), as the scripts take them.
    private final Duration coolDown;
    private final String coolDownMillis;
    private final long windowMillis;
    private final String window;
    private final String minimumCalls;
    private final String failureRatio;
    private final long localForMillis;
    private final Clock clock;
    private final AtomicLong lastWarningMs = new AtomicLong();
    private final ConcurrentHashMap<String, Local> local = new ConcurrentHashMap<>();
    private final Thread counter;
    private final StopSignal stopping = new StopSignal();

    /**
     * What this process knows of a route's breaker: until when it may take it as closed without
     * asking, and the successful calls it has not yet counted in Redis.
     */
    private static final class Local {
        volatile long closedUntilMs;
        final AtomicLong uncounted = new AtomicLong();
    }

    public RouteHealth(JedisPooled redis, BreakerConfig config, Clock clock) {
        this.redis = redis;
        this.coolDown = config.getCoolDown();
        this.coolDownMillis = Long.toString(coolDown.toMillis());
        this.windowMillis = config.getWindow().toMillis();
        this.window = Long.toString(windowMillis);
        this.minimumCalls = Integer.toString(config.getMinimumCalls());
        this.failureRatio = Double.toString(config.getFailureRatio());
        this.localForMillis = config.getLocalFor().toMillis();
        this.clock = clock;
        this.counter = localForMillis > 0 ? Thread.ofVirtual().name("genq-route-counts").start(this::countUntilStopped) : null;
    }

    /** Whether a call may go to the route now; an open breaker past its cool-down admits one probe. */
    public boolean allow(String route) {
        Local known = local.computeIfAbsent(route, r -> new Local());
        long now = clock.millis();
        if (now < known.closedUntilMs) {
            return true;
        }
        try {
            long allowed = (Long) ALLOW.run(redis, List.of(PREFIX + route), List.of(Long.toString(now), coolDownMillis));
            if (allowed == 2) {
                known.closedUntilMs = now + localForMillis;
            }
            return allowed > 0;
        } catch (JedisException e) {
            warn(e);
            return true;
        }
    }

    /**
     * Counts a call's outcome; returns the breaker's state after it (closed when Redis is
     * unreachable). A success while the breaker is known closed is only gathered, and counted with
     * the next failure or within {@link BreakerConfig#getLocalFor()}.
     */
    public BreakerState record(String route, boolean succeeded) {
        Local known = local.computeIfAbsent(route, r -> new Local());
        if (succeeded && clock.millis() < known.closedUntilMs) {
            known.uncounted.incrementAndGet();
            return BreakerState.closed;
        }
        return count(route, known, succeeded ? 1 : 0, succeeded ? 0 : 1);
    }

    /** Counts the gathered successes, and a call's own outcome if one is given; returns the state after them. */
    private BreakerState count(String route, Local known, int successes, int failures) {
        boolean own = successes + failures > 0;
        long gathered = known.uncounted.getAndSet(0);
        if (!own && gathered == 0) {
            return BreakerState.closed;
        }
        long now = clock.millis();
        try {
            Object state = RECORD.run(redis, List.of(PREFIX + route), List.of(Long.toString(now),
                Long.toString(gathered + successes), Integer.toString(failures), window, minimumCalls, failureRatio, own ? "1" : "0"));
            if ("opened".equals(state)) {
                known.closedUntilMs = 0;
                LOG.warn("route {} is failing; its breaker is open for {}", route, coolDown);
                return BreakerState.open;
            }
            BreakerState after = BreakerState.valueOf(String.valueOf(state));
            known.closedUntilMs = after == BreakerState.closed ? now + localForMillis : 0;
            return after;
        } catch (JedisException e) {
            warn(e); // the gathered successes are lost with it: a breaker only needs recent shares
            return BreakerState.closed;
        }
    }

    private void countUntilStopped() {
        while (stopping.pause(Duration.ofMillis(localForMillis))) {
            countGathered();
        }
        countGathered();
    }

    private void countGathered() {
        local.forEach((route, known) -> count(route, known, 0, 0));
    }

    /** Counts what was gathered, and stops counting. */
    @PreDestroy
    void stop() {
        if (counter != null) {
            stopping.stop();
            try {
                counter.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The route's breaker as stored; an unknown route is closed with nothing counted. */
    public RouteStatus status(String route, String model, String provider, int priority) {
        Local known = local.get(route);
        if (known != null) {
            count(route, known, 0, 0); // this process's gathered successes are part of the window
        }
        Map<String, String> fields = redis.hgetAll(PREFIX + route);
        BreakerState state = BreakerState.valueOf(fields.getOrDefault("state", "closed"));
        boolean windowOver = clock.millis() - Long.parseLong(fields.getOrDefault("since", "0")) >= windowMillis;
        return new RouteStatus(route, model, provider, priority, state,
            windowOver ? 0 : Long.parseLong(fields.getOrDefault("calls", "0")),
            windowOver ? 0 : Long.parseLong(fields.getOrDefault("failures", "0")),
            state == BreakerState.closed || !fields.containsKey("opened") ? null
                : Instant.ofEpochMilli(Long.parseLong(fields.get("opened"))));
    }

    /** Forgets a route's history; for admins after fixing a route by hand, and for tests. */
    public void reset(String route) {
        local.remove(route);
        redis.del(PREFIX + route);
    }

    private void warn(JedisException e) {
        long now = clock.millis();
        long last = lastWarningMs.get();
        if (now - last > 60_000 && lastWarningMs.compareAndSet(last, now)) {
            LOG.warn("Redis is unreachable; route breakers count as closed until it is back: {}", e.toString());
        }
    }
}
