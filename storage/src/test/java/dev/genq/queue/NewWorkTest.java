package dev.genq.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** The new-work hints on a real Redis: who hears them, and as what. */
class NewWorkTest {
    private static final Duration HEARD_WITHIN = Duration.ofSeconds(5);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void nodesOnOneRedisDatabaseHearEachOthersJobsAndDueChecksApartAndNotThoseOfAnotherDatabase() throws Exception {
        NewWork listener = node(5);
        NewWork sameDatabase = node(5);
        NewWork otherDatabase = node(6);
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        listener.listen(() -> heard.add("jobs"));
        listener.listenForChecksDue(() -> heard.add("checks-due"));
        awaitSubscribed(sameDatabase, heard);

        otherDatabase.announce();
        otherDatabase.announceChecksDue();
        sameDatabase.announceChecksDue();
        sameDatabase.announce();

        // Redis delivers in the order it took the publishes, so the other database's two came first, had they come at all.
        assertThat(heard.poll(HEARD_WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("checks-due");
        assertThat(heard.poll(HEARD_WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("jobs");
        assertThat(heard.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void databaseZeroKeepsTheChannelNameOfNodesThatHadNoneOfTheirOwn() {
        assertThat(NewWork.channelOf(0)).isEqualTo("genq:queue:new-work");
        assertThat(NewWork.channelOf(3)).isNotEqualTo(NewWork.channelOf(0)).isNotEqualTo(NewWork.channelOf(4));
    }

    /**
     * The subscription starts on a thread of its own: announce jobs until the listener hears one, then
     * due checks once, and take what it hears up to those: Redis delivers in the order it took the
     * publishes, so nothing announced before is still on its way.
     */
    private static void awaitSubscribed(NewWork announcer, LinkedBlockingQueue<String> heard) throws InterruptedException {
        long deadline = System.nanoTime() + HEARD_WITHIN.toNanos();
        while (heard.poll(50, TimeUnit.MILLISECONDS) == null) {
            assertThat(System.nanoTime()).as("the listener subscribed").isLessThan(deadline);
            announcer.announce();
        }
        announcer.announceChecksDue();
        String last;
        do {
            last = heard.poll(HEARD_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(last).as("the listener heard the due checks").isNotNull();
        } while (!last.equals("checks-due"));
    }

    private NewWork node(int database) {
        URI uri = URI.create(TestServices.redis().uri());
        JedisPooled redis = new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort()),
            DefaultJedisClientConfig.builder().database(database).build());
        NewWork node = new NewWork(redis, database);
        opened.add(redis);
        opened.add(node::stop);
        return node;
    }
}
