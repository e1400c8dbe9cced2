package dev.genq.queue;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells workers that jobs were just enqueued, over Redis pub/sub, so they fetch them now rather than
 * at their next poll (JobRunr polls SQL storage every 5 s at the least). Only a hint: a lost message
 * (Redis down, a worker reconnecting) costs latency, never a job, because the poll still runs.
 */
@Singleton
public class NewWork {
    private static final Logger LOG = LoggerFactory.getLogger(NewWork.class);
    static final String CHANNEL = "genq:queue:new-work";
    private final JedisPooled redis;
    private volatile boolean listening = true;
    private volatile JedisPubSub subscription;

    public NewWork(JedisPooled redis) {
        this.redis = redis;
    }

    /** Says new jobs are in the queue; never throws. */
    public void announce() {
        try {
            redis.publish(CHANNEL, "1");
        } catch (JedisException e) {
            LOG.debug("could not announce new work (workers find it at their next poll): {}", e.toString());
        }
    }

    /** Calls {@code onNewWork} on a background thread for each announcement until stopped; resubscribes after failures. */
    public void listen(Runnable onNewWork) {
        Thread.ofVirtual().name("genq-new-work").start(() -> {
            while (listening) {
                try {
                    JedisPubSub pubSub = new JedisPubSub() {
                        @Override
                        public void onMessage(String channel, String message) {
                            onNewWork.run();
                        }
                    };
                    subscription = pubSub;
                    redis.subscribe(pubSub, CHANNEL);
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
