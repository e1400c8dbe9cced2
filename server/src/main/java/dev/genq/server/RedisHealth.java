package dev.genq.server;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.reactivestreams.Publisher;
import redis.clients.jedis.JedisPooled;

/**
 * Redis in the readiness check (/health/readiness), beside PostgreSQL's: a node that cannot reach
 * it is not sent traffic. Liveness (/health/liveness) leaves both out, so that an outage of either
 * does not get every pod restarted.
 */
@Singleton
class RedisHealth implements HealthIndicator {
    /** The ping blocks; never on the event loop that serves the probe. */
    private static final Executor PINGS = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("genq-redis-health").factory());
    private final JedisPooled redis;

    RedisHealth(JedisPooled redis) {
        this.redis = redis;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.fromCompletableFuture(CompletableFuture.supplyAsync(() -> {
            try {
                redis.ping();
                return HealthResult.builder("redis", HealthStatus.UP).build();
            } catch (RuntimeException e) {
                return HealthResult.builder("redis", HealthStatus.DOWN).details(Map.of("error", e.getClass().getSimpleName())).build();
            }
        }, PINGS));
    }
}
