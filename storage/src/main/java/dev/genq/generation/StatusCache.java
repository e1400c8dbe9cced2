package dev.genq.generation;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Generation status in Redis, read before PostgreSQL. Losing it costs only speed: every failure
 * here is logged and reported as a miss. A write never replaces a later status with an earlier one
 * (a late progress tick cannot hide a SUCCEEDED), which the Lua script checks atomically.
 *
 * <p>The owner and a version travel beside the JSON, so a poll that has the current version
 * already (an ETag match) is answered without parsing anything.
 */
@Singleton
public class StatusCache {
    private static final Logger LOG = LoggerFactory.getLogger(StatusCache.class);
    private static final String KEY_PREFIX = "genq:gen:";
    /** Value layout: "<rank>|<account id>|<json>". Writes with a lower rank than the stored one are dropped. */
    private static final String PUT_IF_NOT_BEHIND = """
        local cur = redis.call('GET', KEYS[1])
        if cur then
          local rank = tonumber(string.match(cur, '^(%d+)|'))
          if rank and rank > tonumber(ARGV[1]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
        return 1""";

    private final JedisPooled redis;
    private final JsonMapper json;
    private final long ttlSeconds;

    public StatusCache(JedisPooled redis, JsonMapper json,
                       @Value("${genq.status-cache.ttl:24h}") java.time.Duration ttl) {
        this.redis = redis;
        this.json = json;
        this.ttlSeconds = ttl.toSeconds();
    }

    /** A published status: whose it is, a version that changes whenever the content does, and the content. */
    public record Entry(UUID accountId, String version, String json) {
    }

    public void put(GenerationView view) {
        try {
            redis.eval(PUT_IF_NOT_BEHIND, List.of(KEY_PREFIX + view.id()),
                List.of(String.valueOf(view.status().rank()), view.accountId() + "|" + json.writeValueAsString(view), String.valueOf(ttlSeconds)));
        } catch (IOException | JedisException e) {
            LOG.warn("status cache write for {} failed: {}", view.id(), e.toString());
        }
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
