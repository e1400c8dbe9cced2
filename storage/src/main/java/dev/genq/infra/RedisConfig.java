package dev.genq.infra;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;

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

    /** The database number the URI names (its path, as in redis://host:6379/2); 0 without one. */
    default int database() {
        String path = URI.create(getUri()).getPath();
        return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    }
}
