package dev.genq.generation;

import dev.genq.infra.RedisScript;
import dev.genq.infra.StopSignal;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
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
    private static final String KEY_PREFIX = "genq:gen:";
    /** Value layout: "<rank>|<account id>|<json>". Writes with a lower rank than the stored one are dropped. */
    private static final RedisScript PUT_IF_NOT_BEHIND = new RedisScript("""
        local cur = redis.call('GET', KEYS[1])
        if cur then
          local rank = tonumber(string.match(cur, '^(%d+)|'))
          if rank and rank > tonumber(ARGV[1]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
        return 1""");

    private final JedisPooled redis;
    private final JsonMapper json;
    private final long ttlSeconds;
    private final long activeTtlSeconds;
    /** The latest status Redis did not take, by generation. */
    private final ConcurrentHashMap<UUID, GenerationView> unwritten = new ConcurrentHashMap<>();
    private final StopSignal stopping = new StopSignal();

    public StatusCache(JedisPooled redis, JsonMapper json, @Value("${genq.status-cache.ttl:24h}") Duration ttl) {
        this.redis = redis;
        this.json = json;
        this.ttlSeconds = ttl.toSeconds();
        this.activeTtlSeconds = Math.min(ttlSeconds, ACTIVE_TTL.toSeconds());
        Thread.ofVirtual().name("genq-status-retries").start(this::retryUntilStopped);
    }

    /** A published status: whose it is, a version that changes whenever the content does, and the content. */
    public record Entry(UUID accountId, String version, String json) {
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
                answers.add(PUT_IF_NOT_BEHIND.queue(pipeline, List.of(KEY_PREFIX + sent.get(i).id()), args.get(i)));
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
                    answers.get(i).get();
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

    /** The script's arguments for a view: its rank, owner and JSON, and its TTL; null (logged) if it cannot be written as JSON. */
    private List<String> argsOf(GenerationView view) {
        String body;
        try {
            body = json.writeValueAsString(view);
        } catch (IOException | UncheckedIOException e) {
            LOG.error("status of {} could not be written as JSON", view.id(), e);
            return null;
        }
        long ttl = view.status().isTerminal() ? ttlSeconds : activeTtlSeconds;
        return List.of(String.valueOf(view.status().rank()), view.accountId() + "|" + body, String.valueOf(ttl));
    }

    private void write(GenerationView view) {
        List<String> args = argsOf(view);
        if (args != null) {
            PUT_IF_NOT_BEHIND.run(redis, List.of(KEY_PREFIX + view.id()), args);
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
            int first = value == null ? -1 : value.indexOf('|');
            int second = first < 0 ? -1 : value.indexOf('|', first + 1);
            if (second < 0) {
                return Optional.empty(); // absent, or written in an older layout: a miss
            }
            String body = value.substring(second + 1);
            return Optional.of(new Entry(UUID.fromString(value.substring(first + 1, second)), versionOf(body), body));
        } catch (JedisException | IllegalArgumentException e) {
            LOG.warn("status cache read for {} failed: {}", id, e.toString());
            return Optional.empty();
        }
    }

    public GenerationView view(Entry entry) {
        try {
            return json.readValue(entry.json(), GenerationView.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An entry for a view read from PostgreSQL, as a cached read would have returned it. */
    Entry entryOf(GenerationView view) {
        try {
            String body = json.writeValueAsString(view);
            return new Entry(view.accountId(), versionOf(body), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String versionOf(String body) {
        return Integer.toHexString(body.hashCode()) + Integer.toHexString(body.length());
    }
}
