package dev.genq.api.events;

import dev.genq.generation.StatusCache;
import dev.genq.infra.RedisConfig;
import dev.genq.infra.StopSignal;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * This node's end of the status fan-out: one Redis subscription to {@link StatusCache#EVENTS_CHANNEL}
 * (on its own connection, the pool's time out reads), the open event streams by account, and a
 * ticker that sends heartbeats and refreshes queue positions. A status for an account with no open
 * stream here costs a string split.
 */
@Singleton
class EventHub {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    /** How often waiting generations' estimates are looked at (and heartbeats may fall due). */
    private static final Duration TICK = Duration.ofSeconds(2);
    /** Longer than a heartbeat: the subscriber pings that often, so a socket silent for this long is dead. */
    private static final Duration SUBSCRIBER_READ_TIMEOUT = Duration.ofSeconds(30);

    private final RedisConfig config;
    private final JedisPooled redis;
    private final ConcurrentHashMap<UUID, Set<EventStream>> byAccount = new ConcurrentHashMap<>();
    private final StopSignal stopping = new StopSignal();
    /** The subscription's listener: a new one per connection, since one holds the connection it listens on. */
    private volatile Listener listener = new Listener();
    private final Duration tick;
    private final long ticksPerHeartbeat;
    private volatile boolean subscribed;

    /** {@code heartbeat}: how often an idle stream sends one, well inside proxies' idle timeouts (often 60 s). */
    EventHub(RedisConfig config, JedisPooled redis, @Value("${genq.events.heartbeat:15s}") Duration heartbeat) {
        this.config = config;
        this.redis = redis;
        this.tick = heartbeat.compareTo(TICK) < 0 ? heartbeat : TICK;
        this.ticksPerHeartbeat = Math.max(1, heartbeat.toMillis() / tick.toMillis());
        Thread.ofVirtual().name("genq-events-subscriber").start(this::subscribeUntilStopped);
        Thread.ofVirtual().name("genq-events-ticker").start(this::tickUntilStopped);
    }

    /** An event as a browser resumes it: its id in the account's stream, its generation, the status JSON. */
    record Stored(String eventId, UUID generationId, String json) {
    }

    void open(EventStream stream) {
        byAccount.computeIfAbsent(stream.accountId(), a -> ConcurrentHashMap.newKeySet()).add(stream);
    }

    void close(EventStream stream) {
        byAccount.computeIfPresent(stream.accountId(), (a, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    int openFor(UUID accountId) {
        Set<EventStream> streams = byAccount.get(accountId);
        return streams == null ? 0 : streams.size();
    }

    int openCount() {
        return byAccount.values().stream().mapToInt(Set::size).sum();
    }

    boolean subscribed() {
        return subscribed;
    }

    /** The account's events after {@code afterId} (exclusive), oldest first, at most {@code limit}. */
    List<Stored> after(UUID accountId, String afterId, int limit) {
        return redis.xrange(StatusCache.eventsKey(accountId), "(" + afterId, "+", limit).stream().map(EventHub::stored).toList();
    }

    /** The oldest event the account's stream still holds: a Last-Event-ID before it missed events. */
    Optional<String> oldestId(UUID accountId) {
        return redis.xrange(StatusCache.eventsKey(accountId), "-", "+", 1).stream().findFirst().map(e -> e.getID().toString());
    }

    /** The newest event id of the account, to tag a snapshot with: a reconnect resumes after it. */
    Optional<String> newestId(UUID accountId) {
        return redis.xrevrange(StatusCache.eventsKey(accountId), "+", "-", 1).stream().findFirst().map(e -> e.getID().toString());
    }

    private static Stored stored(StreamEntry e) {
        return new Stored(e.getID().toString(), UUID.fromString(e.getFields().get("g")), e.getFields().get("v"));
    }

    private void subscribeUntilStopped() {
        Duration backoff = Duration.ofMillis(100);
        while (!stopping.stopped()) {
            try (Jedis connection = new Jedis(config.hostAndPort(), config.client()
                .connectionTimeoutMillis(config.getTimeoutMs()).socketTimeoutMillis((int) SUBSCRIBER_READ_TIMEOUT.toMillis()).build())) {
                listener = new Listener();
                connection.subscribe(listener, StatusCache.EVENTS_CHANNEL);
            } catch (JedisException e) {
                if (!stopping.stopped()) {
                    LOG.warn("status events subscription lost; open event streams miss events until it is back (retrying in {}): {}",
                        backoff, e.toString());
                }
            }
            boolean wasSubscribed = subscribed;
            subscribed = false;
            if (!stopping.pause(backoff)) {
                return;
            }
            backoff = wasSubscribed ? Duration.ofMillis(100)
                : backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
        }
    }

    private void tickUntilStopped() {
        long ticks = 0;
        while (stopping.pause(tick)) {
            boolean heartbeat = ++ticks % ticksPerHeartbeat == 0;
            if (heartbeat && subscribed) {
                try {
                    listener.ping();
                } catch (JedisException e) {
                    LOG.debug("ping of the events subscription failed: {}", e.toString());
                }
            }
            for (Collection<EventStream> streams : byAccount.values()) {
                for (EventStream stream : streams) {
                    try {
                        stream.tick(heartbeat);
                    } catch (RuntimeException e) {
                        LOG.warn("event stream tick failed: {}", e.toString());
                    }
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        stopping.stop();
        if (subscribed) {
            listener.unsubscribe();
        }
    }

    private final class Listener extends JedisPubSub {
        /**
         * Subscribed (again): what was announced while no subscription listened is in the accounts'
         * streams, so each open stream catches up from its last event id; what comes now arrives live,
         * and a stream drops what it has already sent.
         */
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            subscribed = true;
            byAccount.values().forEach(streams -> streams.forEach(EventStream::missedEvents));
        }

        @Override
        public void onMessage(String channel, String message) {
            int first = message.indexOf('|');
            int second = first < 0 ? -1 : message.indexOf('|', first + 1);
            int third = second < 0 ? -1 : message.indexOf('|', second + 1);
            int fourth = third < 0 ? -1 : message.indexOf('|', third + 1);
            if (fourth < 0) {
                return;
            }
            Set<EventStream> streams;
            try {
                streams = byAccount.get(UUID.fromString(message.substring(third + 1, fourth)));
            } catch (IllegalArgumentException e) {
                return;
            }
            if (streams == null) {
                return; // nobody here watches this account
            }
            StatusCache.Announcement.parse(message).ifPresent(a -> streams.forEach(s -> s.announced(a)));
        }
    }
}
