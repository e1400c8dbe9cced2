package dev.genq.infra;

import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script that Redis runs by its SHA-1 (EVALSHA): a call carries the 40-character digest, not
 * the script's text, and Redis finds the script compiled instead of hashing the text on every call.
 * A Redis that does not know the script (a restart, a failover, SCRIPT FLUSH) is sent the text
 * once, with EVAL, which caches it again.
 */
public final class RedisScript {
    private final String text;
    private final String sha;

    public RedisScript(String text) {
        this.text = text;
        this.sha = Crypto.sha1Hex(text);
    }

    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(text, keys, args);
        }
    }

    /** Queues a run in a pipeline; its answer throws {@link JedisNoScriptException} if Redis did not know the script. */
    public Response<Object> queue(AbstractPipeline pipeline, List<String> keys, List<String> args) {
        return pipeline.evalsha(sha, keys, args);
    }
}
