package dev.genq.generation;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
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
 */
@Singleton
public class StatusCache {
    private static final Logger LOG = LoggerFactory.getLogger(StatusCache.class);
    private static final String KEY_PREFIX = "genq:gen:";
    /** Value layout: "<rank>|<json>". Writes with a lower rank than the stored one are dropped. */
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

    public void put(GenerationView view) {
        try {
            String body = json.writeValueAsString(view);
            redis.eval(PUT_IF_NOT_BEHIND, List.of(KEY_PREFIX + view.id()),
                List.of(String.valueOf(view.status().rank()), body, String.valueOf(ttlSeconds)));
        } catch (IOException | JedisException e) {
            LOG.warn("status cache write for {} failed: {}", view.id(), e.toString());
        }
    }

    public Optional<GenerationView> get(UUID id) {
        try {
            String value = redis.get(KEY_PREFIX + id);
            if (value == null) {
                return Optional.empty();
            }
            return Optional.of(json.readValue(value.substring(value.indexOf('|') + 1), GenerationView.class));
        } catch (IOException | JedisException e) {
            LOG.warn("status cache read for {} failed: {}", id, e.toString());
            return Optional.empty();
        }
    }
}
