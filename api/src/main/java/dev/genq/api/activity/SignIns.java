package dev.genq.api.activity;

import dev.genq.activity.ActivityLog;
import dev.genq.activity.Source;
import dev.genq.infra.Crypto;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Sign-ins for the activity log. A key (or a browser token made from it) counts as signing in when
 * it is first used from an address and user agent within an hour, across all api nodes (a Redis
 * SET NX per hour); a node remembers what it has seen, so a busy key costs no Redis call per request.
 */
@Singleton
public class SignIns {
    private static final Logger LOG = LoggerFactory.getLogger(SignIns.class);
    private static final long WINDOW_MILLIS = 3_600_000;
    private static final int MAX_REMEMBERED = 100_000;
    private final Map<String, Long> seenUntil = new ConcurrentHashMap<>();
    private final JedisPooled redis;
    private final ActivityLog activity;
    private final RequestSources sources;

    SignIns(JedisPooled redis, ActivityLog activity, RequestSources sources) {
        this.redis = redis;
        this.activity = activity;
        this.sources = sources;
    }

    public void noticed(UUID accountId, UUID keyId, boolean token, HttpRequest<?> request) {
        Source source = sources.of(request);
        String seen = keyId + "|" + token + "|" + source.ip() + "|" + source.userAgent();
        long now = System.currentTimeMillis();
        Long until = seenUntil.get(seen);
        if (until != null && until > now) {
            return;
        }
        if (seenUntil.size() > MAX_REMEMBERED) {
            seenUntil.clear();
        }
        seenUntil.put(seen, now + WINDOW_MILLIS);
        String marker = "genq:signin:" + Crypto.sha256Hex(seen);
        try {
            if ("OK".equals(redis.set(marker, "1", SetParams.setParams().nx().px(WINDOW_MILLIS)))) {
                record(accountId, keyId, token, source, seen, marker);
            }
        } catch (JedisException e) {
            LOG.warn("sign-in of key {} not checked against other nodes: {}", keyId, e.toString());
        }
    }

    private void record(UUID accountId, UUID keyId, boolean token, Source source, String seen, String marker) {
        try {
            activity.record(accountId, "key:" + keyId, token ? "sign_in.token" : "sign_in.key", null, source);
        } catch (RuntimeException e) { // PostgreSQL unreachable: a request Redis can answer is still answered, and a later one records it
            seenUntil.remove(seen);
            redis.del(marker);
            LOG.warn("sign-in of key {} not recorded: {}", keyId, e.toString());
        }
    }
}
