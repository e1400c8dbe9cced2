package dev.genq.generation;

import dev.genq.infra.RedisScript;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Fair dispatch across accounts: JobRunr runs its queue in order, so an account that submits ten
 * thousand generations would stand in front of everyone who submits after it. Each account may have
 * {@link GenerationConfig#getDispatchWindow()} generations in JobRunr's queue at once; the rest are
 * held in Redis (oldest first) and let in one by one as the account's generations leave QUEUED
 * (the status publisher releases them, see {@link StatusCache}). Another account's generation
 * thus waits behind a window, never behind a backlog.
 *
 * <p>Nothing depends on Redis keeping this: a generation whose hold Redis lost is QUEUED without a
 * job, and the scheduler's requeuer gives it one, as it does any generation whose enqueue was lost.
 */
@Singleton
public class Dispatch {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);
    /** A dispatched entry older than this no longer counts against its account (its start was never published). */
    static final Duration DISPATCHED_FOR = Duration.ofMinutes(10);
    static final String HELD_IDS = "genq:held-ids";
    /** In JobRunr's queue now (1), or held (0). */
    private static final RedisScript ADMIT = new RedisScript("""
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) and redis.call('ZCARD', KEYS[2]) == 0 then
          redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          return 1
        end
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1] .. '|' .. ARGV[6])
        redis.call('SADD', KEYS[3], ARGV[1])
        return 0""");

    /**
     * Lets an account's held generations in while its window has room: what the status publisher
     * does as each leaves QUEUED, done here for an account whose releases were lost (statuses Redis
     * never took, dispatched entries that aged out). Answers the members let in.
     */
    private static final RedisScript UNSTICK = new RedisScript("""
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        local released = {}
        while redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) do
          local next = redis.call('ZPOPMIN', KEYS[2])
          if not next[1] then break end
          local id = string.match(next[1], '^[^|]+')
          redis.call('SREM', KEYS[3], id)
          redis.call('ZADD', KEYS[1], ARGV[3], id)
          table.insert(released, next[1])
        end
        return released""");
    private final JedisPooled redis;
    private final Clock clock;
    private final int window;

    private final BeanProvider<GenerationQueue> queue;

    public Dispatch(JedisPooled redis, Clock clock, GenerationConfig config, BeanProvider<GenerationQueue> queue) {
        this.redis = redis;
        this.clock = clock;
        this.window = config.getDispatchWindow();
        this.queue = queue;
    }

    /** What the status publisher's script answered: a held generation it let in, which goes into JobRunr's queue. */
    void released(UUID accountId, Object answer) {
        if (answer instanceof String member) {
            Released next = Released.parse(member);
            queue.get().enqueueSoon(next.generationId(), next.model(), accountId);
        }
    }

    /** A generation let into JobRunr's queue by a release. */
    record Released(UUID generationId, String model) {
        static Released parse(String member) {
            int bar = member.indexOf('|');
            return new Released(UUID.fromString(member.substring(0, bar)), member.substring(bar + 1));
        }
    }

    /** Whether a just-admitted generation goes into JobRunr's queue now; false: it is held for its turn. */
    boolean admit(UUID accountId, UUID generationId, String model, long createdMillis) {
        long now = clock.millis();
        try {
            Object now1 = ADMIT.run(redis, List.of(dispatchedKey(accountId), heldKey(accountId), HELD_IDS),
                List.of(generationId.toString(), String.valueOf(createdMillis), String.valueOf(now - DISPATCHED_FOR.toMillis()),
                    String.valueOf(window), String.valueOf(DISPATCHED_FOR.toMillis()), model));
            return Long.valueOf(1).equals(now1);
        } catch (JedisException e) {
            LOG.debug("dispatch of {} not windowed: {}", generationId, e.toString());
            return true; // without Redis, straight into the queue: unfair for a while, never stuck
        }
    }

    /**
     * For every account holding generations: lets them in while its window has room. Run by the
     * requeuer each minute, so a hold whose release was lost ends within about {@link #DISPATCHED_FOR}.
     * Returns how many it let in.
     */
    public int unstick() {
        int released = 0;
        try {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match("genq:held:*").count(100));
                for (String heldKey : page.getResult()) {
                    UUID account = UUID.fromString(heldKey.substring("genq:held:".length()));
                    long now = clock.millis();
                    Object answer = UNSTICK.run(redis, List.of(dispatchedKey(account), heldKey, HELD_IDS),
                        List.of(String.valueOf(now - DISPATCHED_FOR.toMillis()), String.valueOf(window), String.valueOf(now)));
                    if (answer instanceof List<?> members) {
                        for (Object member : members) {
                            released(account, member);
                            released++;
                        }
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } catch (JedisException | IllegalArgumentException e) {
            LOG.warn("held generations not looked at: {}", e.toString());
        }
        return released;
    }

    /** Of these generations, the ones held for their turn (the requeuer leaves them be). */
    public Set<UUID> held(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<UUID> in = new ArrayList<>(ids);
        try {
            List<Boolean> member = redis.smismember(HELD_IDS, in.stream().map(UUID::toString).toArray(String[]::new));
            Set<UUID> held = new HashSet<>();
            for (int i = 0; i < in.size(); i++) {
                if (member.get(i)) {
                    held.add(in.get(i));
                }
            }
            return held;
        } catch (JedisException e) {
            LOG.debug("held generations not read: {}", e.toString());
            return Set.of();
        }
    }

    int window() {
        return window;
    }

    static String dispatchedKey(UUID accountId) {
        return "genq:dispatched:" + accountId;
    }

    static String heldKey(UUID accountId) {
        return "genq:held:" + accountId;
    }
}
