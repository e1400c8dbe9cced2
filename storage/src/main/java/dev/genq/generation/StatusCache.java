package dev.genq.generation;

import dev.genq.infra.RedisScript;
import dev.genq.infra.StopSignal;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Generation status in Redis, read before PostgreSQL. Losing it costs only speed: every failure
 * here is logged and reported as a miss. A write never replaces a later status with an earlier one
 * (a late progress tick cannot hide a SUCCEEDED), which the Lua script checks atomically.
 *
 * <p>A write Redis did not take (an outage, a pool exhausted under load) would leave the status
 * before it to be served, so it is retried every second until Redis takes it; and a status that
 * can still change expires after {@link #ACTIVE_TTL}, so even a retry lost with its process heals:
 * the next poll misses and republishes from PostgreSQL.
 *
 * <p>The owner and a version travel beside the JSON, so a poll that has the current version
 * already (an ETag match) is answered without parsing anything.
 */
@Singleton
public class StatusCache {
    private static final Logger LOG = LoggerFactory.getLogger(StatusCache.class);
    static final Duration ACTIVE_TTL = Duration.ofMinutes(10);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);
    /** Most statuses kept for a retry; beyond it (a long outage) the TTL alone bounds how stale one gets. */
    private static final int MAX_UNWRITTEN = 100_000;
    /** Where a generation's status is kept: this and its id. */
    public static final String KEY_PREFIX = "genq:gen2:";
    /**
     * Publishing a status, atomically: store it unless a later one is stored ("<rank>|<account>|<model>|
     * <started millis>|<json>"); append it to its account's event stream (what a reconnecting browser
     * resumes from) and announce it on the events channel (what every api node's browsers hear); keep
     * the model's queue of QUEUED generations (by submit time) and count its starts and run times per
     * minute, for queue positions and ETAs; and the account's generations in flight (QUEUED or
     * RUNNING), for its limit. A generation leaving QUEUED frees its place in its account's dispatch
     * window, and the account's oldest held generation takes it: the script answers that one, to be
     * enqueued (see {@link Dispatch}). A status behind the stored one changes nothing at all.
     */
    private static final RedisScript PUBLISH = new RedisScript("""
        local cur = redis.call('GET', KEYS[1])
        local curRank = -1
        if cur then
          curRank = tonumber(string.match(cur, '^(%d+)|')) or -1
          if curRank > tonumber(ARGV[1]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
        local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[10], '*', 'g', ARGV[4], 'v', ARGV[9])
        redis.call('EXPIRE', KEYS[2], ARGV[11])
        redis.call('PUBLISH', ARGV[12], id .. '|' .. ARGV[4] .. '|' .. ARGV[1] .. '|' .. ARGV[2])
        if tonumber(ARGV[1]) < 2 then
          redis.call('ZADD', KEYS[6], 'NX', ARGV[6], ARGV[4])
          redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. ARGV[13])
          redis.call('EXPIRE', KEYS[6], ARGV[11])
        else
          redis.call('ZREM', KEYS[6], ARGV[4])
        end
        if ARGV[5] == 'QUEUED' then
          redis.call('ZADD', KEYS[3], 'NX', ARGV[6], ARGV[4])
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[8])
        else
          redis.call('ZREM', KEYS[3], ARGV[4])
        end
        if curRank < tonumber(ARGV[1]) then
          if ARGV[5] == 'RUNNING' then
            redis.call('INCR', KEYS[4])
            redis.call('EXPIRE', KEYS[4], 3600)
          elseif ARGV[7] ~= '' then
            redis.call('HINCRBY', KEYS[5], 'ms', ARGV[7])
            redis.call('HINCRBY', KEYS[5], 'n', 1)
            redis.call('EXPIRE', KEYS[5], 3600)
          end
        end
        if tonumber(ARGV[1]) >= 1 then
          redis.call('ZREM', KEYS[7], ARGV[4])
          if redis.call('SREM', KEYS[9], ARGV[4]) == 1 then
            redis.call('ZREM', KEYS[8], ARGV[4] .. '|' .. ARGV[16])
          end
          if redis.call('ZCARD', KEYS[7]) < tonumber(ARGV[14]) then
            local next = redis.call('ZPOPMIN', KEYS[8])
            if next[1] then
              redis.call('SREM', KEYS[9], string.match(next[1], '^[^|]+'))
              redis.call('ZADD', KEYS[7], ARGV[15], string.match(next[1], '^[^|]+'))
              redis.call('PEXPIRE', KEYS[7], ARGV[17])
              return next[1]
            end
          end
        end
        return 1""");
    /** The channel every status is announced on: "<event id>|<generation id>|" and the stored value. */
    public static final String EVENTS_CHANNEL = "genq:events";
    /** Events kept per account for resuming (about; Redis trims in whole nodes). */
    static final int EVENTS_KEPT = 500;
    static final Duration EVENTS_TTL = Duration.ofHours(24);

    private final JedisPooled redis;
    private final JsonMapper json;
    private final Clock clock;
    private final Dispatch dispatch;
    private final long ttlSeconds;
    private final long activeTtlSeconds;
    /** The latest status Redis did not take, by generation. */
    private final ConcurrentHashMap<UUID, GenerationView> unwritten = new ConcurrentHashMap<>();
    private final StopSignal stopping = new StopSignal();

    public StatusCache(JedisPooled redis, JsonMapper json, Clock clock, Dispatch dispatch, @Value("${genq.status-cache.ttl:24h}") Duration ttl) {
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        this.dispatch = dispatch;
        this.ttlSeconds = ttl.toSeconds();
        this.activeTtlSeconds = Math.min(ttlSeconds, ACTIVE_TTL.toSeconds());
        Thread.ofVirtual().name("genq-status-retries").start(this::retryUntilStopped);
    }

    /**
     * A published status: whose it is, a version that changes whenever the content does, and the
     * content; with what queue estimates need without parsing it (its rank, model and start).
     */
    public record Entry(UUID accountId, String version, String json, int rank, String model, long startedMillis) {
        public boolean queued() {
            return rank == GenerationStatus.QUEUED.rank();
        }

        public boolean active() {
            return rank < GenerationStatus.SUCCEEDED.rank();
        }

        /** Parses a stored value. */
        static Optional<Entry> parse(String value) {
            int[] at = new int[4];
            int from = 0;
            for (int i = 0; i < at.length; i++) {
                at[i] = value.indexOf('|', from);
                if (at[i] < 0) {
                    return Optional.empty();
                }
                from = at[i] + 1;
            }
            String body = value.substring(at[3] + 1);
            return Optional.of(new Entry(UUID.fromString(value.substring(at[0] + 1, at[1])), versionOf(body), body,
                Integer.parseInt(value, 0, at[0], 10), value.substring(at[1] + 1, at[2]), Long.parseLong(value, at[2] + 1, at[3], 10)));
        }
    }

    public void put(GenerationView view) {
        putAll(List.of(view));
    }

    /** Publishes statuses in one round trip to Redis (a pipeline); each is kept for a retry if Redis did not take it. */
    public void putAll(List<GenerationView> views) {
        if (views.isEmpty()) {
            return;
        }
        List<GenerationView> sent = new ArrayList<>(views.size());
        List<List<String>> args = new ArrayList<>(views.size());
        for (GenerationView view : views) {
            List<String> a = argsOf(view);
            if (a != null) {
                sent.add(view);
                args.add(a);
            }
        }
        List<Response<Object>> answers = new ArrayList<>(sent.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (int i = 0; i < sent.size(); i++) {
                answers.add(PUBLISH.queue(pipeline, keysOf(sent.get(i)), args.get(i)));
            }
            pipeline.sync();
        } catch (JedisException e) {
            sent.forEach(view -> keepForRetry(view, e));
            return;
        }
        for (int i = 0; i < sent.size(); i++) {
            GenerationView view = sent.get(i);
            try {
                try {
                    dispatch.released(view.accountId(), answers.get(i).get());
                } catch (JedisNoScriptException e) {
                    write(view); // Redis lost its scripts; this sends the script again
                }
                // an older status of this generation still waiting for a retry must not land after this one
                unwritten.computeIfPresent(view.id(), (id, pending) -> pending.status().rank() > view.status().rank() ? pending : null);
            } catch (JedisException e) {
                keepForRetry(view, e);
            }
        }
    }

    private void keepForRetry(GenerationView view, JedisException e) {
        if (unwritten.size() < MAX_UNWRITTEN) {
            unwritten.merge(view.id(), view, (pending, latest) -> pending.status().rank() > latest.status().rank() ? pending : latest);
        }
        LOG.warn("status cache write for {} failed, retrying every {}: {}", view.id(), RETRY_EVERY, e.toString());
    }

    /** How many statuses wait for a retry. */
    int unwrittenCount() {
        return unwritten.size();
    }

    /** The script's arguments for a view (see {@link #PUBLISH}); null (logged) if it cannot be written as JSON. */
    private List<String> argsOf(GenerationView view) {
        String body;
        try {
            body = json.writeValueAsString(view);
        } catch (IOException | UncheckedIOException e) {
            LOG.error("status of {} could not be written as JSON", view.id(), e);
            return null;
        }
        long ttl = view.status().isTerminal() ? ttlSeconds : activeTtlSeconds;
        long started = view.startedAt() == null ? 0 : view.startedAt().toEpochMilli();
        String runMillis = view.status() == GenerationStatus.SUCCEEDED && view.startedAt() != null && view.finishedAt() != null
            ? String.valueOf(Math.max(0, view.finishedAt().toEpochMilli() - started)) : "";
        long oldestQueued = clock.millis() - QueueEstimates.LONGEST_WAIT.toMillis();
        return List.of(String.valueOf(view.status().rank()),
            view.accountId() + "|" + view.model() + "|" + started + "|" + body,
            String.valueOf(ttl), view.id().toString(), view.status().name(), String.valueOf(view.createdAt().toEpochMilli()), runMillis,
            String.valueOf(oldestQueued), body, String.valueOf(EVENTS_KEPT), String.valueOf(EVENTS_TTL.toSeconds()), EVENTS_CHANNEL,
            String.valueOf(clock.millis() - LONGEST_IN_FLIGHT.toMillis()), String.valueOf(dispatch.window()),
            String.valueOf(clock.millis()), view.model(), String.valueOf(Dispatch.DISPATCHED_FOR.toMillis()));
    }

    private List<String> keysOf(GenerationView view) {
        long minute = clock.millis() / 60_000;
        return List.of(KEY_PREFIX + view.id(), eventsKey(view.accountId()), QueueEstimates.queueKey(view.model()),
            QueueEstimates.startsKey(view.model(), minute), QueueEstimates.runtimeKey(view.model(), minute), inFlightKey(view.accountId()),
            Dispatch.dispatchedKey(view.accountId()), Dispatch.heldKey(view.accountId()), Dispatch.HELD_IDS);
    }

    /**
     * The account's generations QUEUED or RUNNING, by submit time. One whose end was never published
     * (its process died before Redis took it) counts until it is this old.
     */
    static final Duration LONGEST_IN_FLIGHT = Duration.ofHours(24);

    /** Generations QUEUED or RUNNING: the account's, and of those the ones one of its keys submitted. */
    public record InFlight(long account, long key) {
    }

    /**
     * How many generations the account, and the key, have QUEUED or RUNNING, as published; zeros when
     * Redis cannot tell. A key's are the generations it submitted ({@link #submittedWith}) that are
     * still in its account's set, so an end needs no bookkeeping of its own.
     */
    public InFlight inFlight(UUID accountId, UUID keyId) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            Response<Long> account = pipeline.zcard(inFlightKey(accountId));
            Response<Long> key = pipeline.zintercard(keyInFlightKey(keyId), inFlightKey(accountId));
            pipeline.sync();
            return new InFlight(account.get(), key.get());
        } catch (JedisException e) {
            LOG.debug("generations in flight of {} not counted: {}", accountId, e.toString());
            return new InFlight(0, 0);
        }
    }

    /** Notes which key submitted a generation, for {@link #inFlight}; kept as long as a generation may be in flight. */
    public void submittedWith(UUID keyId, UUID generationId, Instant createdAt) {
        String key = keyInFlightKey(keyId);
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.zadd(key, createdAt.toEpochMilli(), generationId.toString());
            pipeline.zremrangeByScore(key, Double.NEGATIVE_INFINITY, clock.millis() - LONGEST_IN_FLIGHT.toMillis());
            pipeline.pexpire(key, LONGEST_IN_FLIGHT.toMillis());
            pipeline.sync();
        } catch (JedisException e) {
            LOG.debug("the key of {} not noted: {}", generationId, e.toString());
        }
    }

    private static String keyInFlightKey(UUID keyId) {
        return "genq:inflight-key:" + keyId;
    }

    private static String inFlightKey(UUID accountId) {
        return "genq:inflight:" + accountId;
    }

    /** The account's event stream: its statuses in order, with the ids browsers resume from. */
    public static String eventsKey(UUID accountId) {
        return "genq:events:" + accountId;
    }

    private void write(GenerationView view) {
        List<String> args = argsOf(view);
        if (args != null) {
            dispatch.released(view.accountId(), PUBLISH.run(redis, keysOf(view), args));
        }
    }

    private void retryUntilStopped() {
        while (stopping.pause(RETRY_EVERY)) {
            unwritten.forEach((id, view) -> {
                try {
                    write(view);
                    unwritten.remove(id, view);
                } catch (RuntimeException e) {
                    LOG.debug("status cache write for {} failed again: {}", id, e.toString());
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        stopping.stop();
    }

    public Optional<Entry> entry(UUID id) {
        try {
            String value = redis.get(KEY_PREFIX + id);
            return value == null ? Optional.empty() : Entry.parse(value);
        } catch (JedisException | IllegalArgumentException e) {
            LOG.warn("status cache read for {} failed: {}", id, e.toString());
            return Optional.empty();
        }
    }

    /** A status as announced on {@link #EVENTS_CHANNEL}: the event's id in its account's stream, and the status. */
    public record Announcement(String eventId, UUID generationId, Entry entry) {
        public static Optional<Announcement> parse(String message) {
            int first = message.indexOf('|');
            int second = first < 0 ? -1 : message.indexOf('|', first + 1);
            if (second < 0) {
                return Optional.empty();
            }
            try {
                return Entry.parse(message.substring(second + 1))
                    .map(e -> new Announcement(message.substring(0, first), UUID.fromString(message.substring(first + 1, second)), e));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    public GenerationView view(Entry entry) {
        return view(entry.json());
    }

    /** A view from its published JSON (a status event's). */
    public GenerationView view(String body) {
        try {
            return json.readValue(body, GenerationView.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An entry for a view read from PostgreSQL, as a cached read would have returned it. */
    Entry entryOf(GenerationView view) {
        try {
            String body = json.writeValueAsString(view);
            return new Entry(view.accountId(), versionOf(body), body, view.status().rank(), view.model(),
                view.startedAt() == null ? 0 : view.startedAt().toEpochMilli());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String versionOf(String body) {
        return Integer.toHexString(body.hashCode()) + Integer.toHexString(body.length());
    }
}
