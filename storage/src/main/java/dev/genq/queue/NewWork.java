package dev.genq.queue;

import dev.genq.infra.RedisConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells workers there is work to take now, over Redis pub/sub: jobs just enqueued, which they fetch
 * at once rather than at their next poll (JobRunr polls SQL storage every 5 s at the least), and
 * vendor task checks a worker with no room for them made due at once, which another worker's task
 * poller claims rather than at the end of its pause. Only a hint: a lost message (Redis down, a
 * worker reconnecting) costs latency, never work, because the polls still run.
 *
 * <p>Redis keeps one set of channels for all its databases, so the channel is named after genq's
 * database: deployments that share a Redis under different database numbers, as they keep their
 * keys apart, do not wake each other's workers.
 */
@Singleton
public class NewWork {
    private static final Logger LOG = LoggerFactory.getLogger(NewWork.class);
    /** The message of due checks; any other is one of new jobs (older nodes announce them as "1"). */
    private static final String CHECKS_DUE = "checks-due";
    private final JedisPooled redis;
    private final String channel;
    private final List<Runnable> onJobs = new CopyOnWriteArrayList<>();
    private final List<Runnable> onChecksDue = new CopyOnWriteArrayList<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile boolean listening = true;
    private volatile JedisPubSub subscription;

    @Inject
    public NewWork(JedisPooled redis, RedisConfig config) {
        this(redis, config.database());
    }

    NewWork(JedisPooled redis, int database) {
        this.redis = redis;
        this.channel = channelOf(database);
    }

    /** Database 0 keeps the channel's first name, so that nodes from before databases had channels of their own still hear and are heard. */
    static String channelOf(int database) {
        return database == 0 ? "genq:queue:new-work" : "genq:queue:new-work:" + database;
    }

    /** Says new jobs are in the queue; never throws. */
    public void announce() {
        publish("jobs");
    }

    /** Says vendor task checks were made due for any worker to claim now; never throws. */
    public void announceChecksDue() {
        publish(CHECKS_DUE);
    }

    private void publish(String message) {
        try {
            redis.publish(channel, message);
        } catch (JedisException | IllegalStateException e) { // Redis down, or the pool closed while stopping
            LOG.debug("could not announce new work (workers find it at their next poll): {}", e.toString());
        }
    }

    /** Calls {@code onNewJobs} on a background thread for each announcement of new jobs until stopped. */
    public void listen(Runnable onNewJobs) {
        onJobs.add(onNewJobs);
        subscribe();
    }

    /** Calls {@code onDue} on a background thread for each announcement of due checks until stopped. */
    public void listenForChecksDue(Runnable onDue) {
        onChecksDue.add(onDue);
        subscribe();
    }

    /** One subscription for all listeners of this process; resubscribes after failures. */
    private void subscribe() {
        if (!subscribed.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("genq-new-work").start(() -> {
            while (listening) {
                try {
                    JedisPubSub pubSub = new JedisPubSub() {
                        @Override
                        public void onMessage(String from, String message) {
                            (CHECKS_DUE.equals(message) ? onChecksDue : onJobs).forEach(Runnable::run);
                        }
                    };
                    subscription = pubSub;
                    redis.subscribe(pubSub, channel);
                } catch (RuntimeException e) {
                    if (listening) {
                        LOG.debug("new-work subscription lost, resubscribing: {}", e.toString());
                        sleepQuietly();
                    }
                }
            }
        });
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        listening = false;
        JedisPubSub current = subscription;
        if (current != null && current.isSubscribed()) {
            current.unsubscribe();
        }
    }
}
