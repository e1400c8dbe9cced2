package dev.genq.infra;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
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
        URI uri = URI.create(config.getUri());
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
            .timeoutMillis(config.getTimeoutMs());
        if (uri.getUserInfo() != null) {
            String[] userInfo = uri.getUserInfo().split(":", 2);
            if (userInfo.length == 2) {
                if (!userInfo[0].isEmpty()) {
                    client.user(userInfo[0]);
                }
                client.password(userInfo[1]);
            }
        }
        client.database(config.database());
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.getMaxConnections());
        pool.setMaxIdle(config.getMaxConnections());
        pool.setMaxWait(Duration.ofMillis(config.getTimeoutMs()));
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        return new JedisPooled(pool, new HostAndPort(uri.getHost(), port), client.build());
    }
}
