package dev.genq.infra;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;

@ConfigurationProperties("genq.redis")
public interface RedisConfig {

    /** Redis URI, e.g. redis://:password@host:6379/0. Default: the local Redis. */
    @Bindable(defaultValue = "redis://127.0.0.1:6379")
    String getUri();

    /** Connect and read timeout. Default 500 ms: a slow cache must not slow a request down. */
    @Bindable(defaultValue = "500")
    int getTimeoutMs();

    /**
     * Most pooled connections. Default 1024, about a worker's JobRunr workers (1000 by default),
     * each of which may touch Redis at once; a smaller pool makes them wait past the timeout.
     */
    @Bindable(defaultValue = "1024")
    int getMaxConnections();

    default HostAndPort hostAndPort() {
        URI uri = URI.create(getUri());
        return new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
    }

    /** A client configuration with the URI's user, password and database; the caller sets the timeouts. */
    default DefaultJedisClientConfig.Builder client() {
        URI uri = URI.create(getUri());
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder();
        if (uri.getUserInfo() != null) {
            String[] userInfo = uri.getUserInfo().split(":", 2);
            if (userInfo.length == 2) {
                if (!userInfo[0].isEmpty()) {
                    client.user(userInfo[0]);
                }
                client.password(userInfo[1]);
            }
        }
        return client.database(database());
    }

    /** The database number the URI names (its path, as in redis://host:6379/2); 0 without one. */
    default int database() {
        String path = URI.create(getUri()).getPath();
        return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    }
}
