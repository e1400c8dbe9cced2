package dev.genq.routing;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * <p>While Redis is unreachable every route counts as closed: failover then happens call by call
 * (a failed submit still moves on to the next route), and the per-account limits keep their own
 * fallback, so a cache outage never stops generation.
 */
@Singleton
public class RouteHealth {
    private static final Logger LOG = LoggerFactory.getLogger(RouteHealth.class);
    private static final String PREFIX = "genq:route:";
    /** Returns 1 if a call may go: closed; or open past its cool-down, in which case this caller is the probe. */
    private static final String ALLOW = """
        local state = redis.call('HGET', KEYS[1], 'state')
        if not state or state == 'closed' then return 1 end
        local now = tonumber(ARGV[1])
        if state == 'open' and now - tonumber(redis.call('HGET', KEYS[1], 'opened')) >= tonumber(ARGV[2]) then
          redis.call('HSET', KEYS[1], 'state', 'half_open', 'probe', now)
          return 1
        end
        if state == 'half_open' and now - tonumber(redis.call('HGET', KEYS[1], 'probe')) >= tonumber(ARGV[2]) then
          redis.call('HSET', KEYS[1], 'probe', now)
          return 1
        end
        return 0""";
    /** Counts one call; returns the state after it, or 'opened' when this call opened it. ARGV: now, ok(1/0), window, min calls, ratio. */
    private static final String RECORD = """
        local now = tonumber(ARGV[1])
        local ok = ARGV[2] == '1'
        local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
        local since = tonumber(redis.call('HGET', KEYS[1], 'since') or '0')
        if now - since >= tonumber(ARGV[3]) then
          redis.call('HSET', KEYS[1], 'since', now, 'calls', 0, 'failures', 0)
        end
        local calls = redis.call('HINCRBY', KEYS[1], 'calls', 1)
        local failures = redis.call('HINCRBY', KEYS[1], 'failures', ok and 0 or 1)
        if state == 'half_open' then
          if ok then
            redis.call('HSET', KEYS[1], 'state', 'closed', 'since', now, 'calls', 0, 'failures', 0)
            return 'closed'
          end
          redis.call('HSET', KEYS[1], 'state', 'open', 'opened', now)
          return 'opened'
        end
        if state == 'closed' and not ok and calls >= tonumber(ARGV[4]) and failures >= tonumber(ARGV[5]) * calls then
          redis.call('HSET', KEYS[1], 'state', 'open', 'opened', now)
          return 'opened'
        end
        return state""";

    private final JedisPooled redis;
    // The breaker's settings, read once (a config getter converts on every call), as the scripts take them.
    private final Duration coolDown;
    private final String coolDownMillis;
    private final long windowMillis;
    private final String minimumCalls;
    private final String failureRatio;
    private final Clock clock;
    private final AtomicLong lastWarningMs = new AtomicLong();

    public RouteHealth(JedisPooled redis, BreakerConfig config, Clock clock) {
        this.redis = redis;
        this.coolDown = config.getCoolDown();
        this.coolDownMillis = Long.toString(coolDown.toMillis());
        this.windowMillis = config.getWindow().toMillis();
        this.minimumCalls = Integer.toString(config.getMinimumCalls());
        this.failureRatio = Double.toString(config.getFailureRatio());
        this.clock = clock;
    }

    /** Whether a call may go to the route now; an open breaker past its cool-down admits one probe. */
    public boolean allow(String route) {
        try {
            Object allowed = redis.eval(ALLOW, List.of(PREFIX + route),
                List.of(Long.toString(clock.millis()), coolDownMillis));
            return Long.valueOf(1).equals(allowed);
        } catch (JedisException e) {
            warn(e);
            return true;
        }
    }

    /** Counts a call's outcome; returns the breaker's state after it (closed when Redis is unreachable). */
    public BreakerState record(String route, boolean succeeded) {
        try {
            Object state = redis.eval(RECORD, List.of(PREFIX + route), List.of(Long.toString(clock.millis()),
                succeeded ? "1" : "0", Long.toString(windowMillis), minimumCalls, failureRatio));
            if ("opened".equals(state)) {
                LOG.warn("route {} is failing; its breaker is open for {}", route, coolDown);
                return BreakerState.open;
            }
            return BreakerState.valueOf(String.valueOf(state));
        } catch (JedisException e) {
            warn(e);
            return BreakerState.closed;
        }
    }

    /** The route's breaker as stored; an unknown route is closed with nothing counted. */
    public RouteStatus status(String route, String model, String provider, int priority) {
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
