package dev.genq.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Cluster-wide provider limits on real Redis, and what happens without it. */
class ProviderLimitsTest {
    private final JedisPooled redis = new JedisPooled(URI.create(TestServices.redis().uri()));
    private final ProviderLimits limits = new ProviderLimits(redis, Clock.systemUTC());

    @AfterEach
    void close() {
        redis.close();
    }

    @Nested
    class Concurrency {
        @Test
        void anAccountRunsAtMostItsCapOfTasks() {
            ProviderConfig account = account(2, 0);
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            UUID c = UUID.randomUUID();

            assertThat(limits.tryAcquireTask(account, a, null)).isTrue();
            assertThat(limits.tryAcquireTask(account, b, null)).isTrue();
            assertThat(limits.tryAcquireTask(account, c, null)).isFalse();
            assertThat(limits.tryAcquireTask(account, a, null)).as("a holder asking again keeps its permit").isTrue();

            limits.releaseTask(account, a);
            assertThat(limits.tryAcquireTask(account, c, null)).isTrue();
        }

        @Test
        void aFreedPermitGoesToAnotherCustomerWaitingNotToOneHoldingItsShare() {
            ProviderConfig account = account(4, 0);
            UUID busy = UUID.randomUUID();
            UUID quiet = UUID.randomUUID();
            List<UUID> busyTasks = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            busyTasks.forEach(t -> assertThat(limits.tryAcquireTask(account, t, busy)).as("alone, a customer may take the whole cap").isTrue());
            UUID quietTask = UUID.randomUUID();
            assertThat(limits.tryAcquireTask(account, quietTask, quiet)).as("full").isFalse();

            limits.releaseTask(account, busyTasks.getFirst());

            assertThat(limits.tryAcquireTask(account, UUID.randomUUID(), busy)).as("holds 3 of 4 while another waits").isFalse();
            assertThat(limits.tryAcquireTask(account, quietTask, quiet)).isTrue();
            limits.releaseTask(account, busyTasks.get(1));
            assertThat(limits.tryAcquireTask(account, UUID.randomUUID(), busy)).as("nobody else waits now").isTrue();
        }

        @Test
        void workersShareTheCapThroughRedis() {
            ProviderConfig account = account(1, 0);
            ProviderLimits otherWorker = new ProviderLimits(redis, Clock.systemUTC());
            assertThat(limits.tryAcquireTask(account, UUID.randomUUID(), null)).isTrue();
            assertThat(otherWorker.tryAcquireTask(account, UUID.randomUUID(), null)).isFalse();
        }

        @Test
        void anUnlimitedAccountNeverWaits() {
            ProviderConfig account = account(0, 0);
            for (int i = 0; i < 100; i++) {
                assertThat(limits.tryAcquireTask(account, UUID.randomUUID(), null)).isTrue();
            }
        }
    }

    @Nested
    class Rate {
        @Test
        void anAccountTakesAtMostItsRequestsPerSecond() throws InterruptedException {
            ProviderConfig account = account(0, 5);
            waitForTheStartOfASecond();
            int granted = 0;
            for (int i = 0; i < 8; i++) {
                granted += limits.tryCall(account) ? 1 : 0;
            }
            assertThat(granted).isEqualTo(5);
        }
    }

    @Nested
    class WithoutRedis {
        private final JedisPooled unreachable = new JedisPooled("127.0.0.1", 1);
        private final ProviderLimits alone = new ProviderLimits(unreachable, Clock.systemUTC());

        @AfterEach
        void close() {
            unreachable.close();
        }

        @Test
        void eachWorkerEnforcesItsShareOfTheCap() {
            ProviderConfig account = account(8, 0); // fallback divisor 4: this worker alone may run 2
            assertThat(alone.tryAcquireTask(account, UUID.randomUUID(), null)).isTrue();
            assertThat(alone.tryAcquireTask(account, UUID.randomUUID(), null)).isTrue();
            assertThat(alone.tryAcquireTask(account, UUID.randomUUID(), null)).isFalse();
        }

        @Test
        void eachWorkerEnforcesItsShareOfTheRate() throws InterruptedException {
            ProviderConfig account = account(0, 8);
            waitForTheStartOfASecond();
            int granted = 0;
            for (int i = 0; i < 5; i++) {
                granted += alone.tryCall(account) ? 1 : 0;
            }
            assertThat(granted).isEqualTo(2);
        }
    }

    private static ProviderConfig account(int maxConcurrency, int maxRequestsPerSecond) {
        ProviderConfig config = new ProviderConfig("limits-test-" + UUID.randomUUID());
        config.setMaxConcurrency(maxConcurrency);
        config.setMaxRequestsPerSecond(maxRequestsPerSecond);
        return config;
    }

    /** Keeps a burst of calls inside one one-second window. */
    private static void waitForTheStartOfASecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5);
    }
}
