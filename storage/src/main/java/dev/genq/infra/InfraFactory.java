package dev.genq.infra;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;

@Factory
class InfraFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Bean(preDestroy = "close")
    JedisPooled jedis(RedisConfig config) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.getMaxConnections());
        pool.setMaxIdle(config.getMaxConnections());
        pool.setMaxWait(Duration.ofMillis(config.getTimeoutMs()));
        return new JedisPooled(pool, config.hostAndPort(), config.client().timeoutMillis(config.getTimeoutMs()).build());
    }
}
