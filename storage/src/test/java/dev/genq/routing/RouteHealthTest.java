package dev.genq.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The route breaker on real Redis, with a clock the test moves: open on the ratio, one probe after the cool-down. */
class RouteHealthTest {
    private static final BreakerConfig CONFIG = config(Duration.ofSeconds(1));

    /** Opens at half of 4 or more calls in 60 s, for 30 s; a worker trusts a closed state it read for {@code localFor}. */
    private static BreakerConfig config(Duration localFor) {
        return new BreakerConfig() {
            public double getFailureRatio() {
                return 0.5;
            }

            public int getMinimumCalls() {
                return 4;
            }

            public Duration getWindow() {
                return Duration.ofSeconds(60);
            }

            public Duration getCoolDown() {
                return Duration.ofSeconds(30);
            }

            public Duration getLocalFor() {
                return localFor;
            }
        };
    }

    private final JedisPooled redis = new JedisPooled(URI.create(TestServices.redis().uri()));
    private final MovableClock clock = new MovableClock();
    private final RouteHealth health = new RouteHealth(redis, CONFIG, clock);
    private final String route = "model/" + UUID.randomUUID();

    @AfterEach
    void stopCounting() {
        health.stop();
    }

    @Nested
    class Opening {
        @Test
        void failuresBelowTheMinimumCallsNeverOpenIt() {
            record(false, 3);
            assertThat(health.allow(route)).isTrue();
            assertThat(status().state()).isEqualTo(BreakerState.closed);
        }

        @Test
        void aFailureRatioAtTheThresholdOpensItAndCallsAreRefused() {
            record(true, 2);
            record(false, 2);
            assertThat(status().state()).isEqualTo(BreakerState.open);
            assertThat(status().openedAt()).isEqualTo(clock.instant());
            assertThat(health.allow(route)).isFalse();
        }

        @Test
        void mostlySuccessfulCallsKeepItClosed() {
            record(true, 5);
            record(false, 2);
            assertThat(status().state()).isEqualTo(BreakerState.closed);
        }

        @Test
        void countsStartAfreshEachWindow() {
            record(false, 3);
            clock.advance(Duration.ofSeconds(61));
            record(false, 1);
            assertThat(status().state()).isEqualTo(BreakerState.closed);
            assertThat(status().windowCalls()).isEqualTo(1);
        }
    }

    @Nested
    class Healing {
        @Test
        void afterTheCoolDownExactlyOneProbeGoesThroughAndItsSuccessClosesIt() {
            record(false, 4);
            clock.advance(Duration.ofSeconds(31));

            assertThat(health.allow(route)).as("the probe").isTrue();
            assertThat(health.allow(route)).as("anyone else while the probe runs").isFalse();
            assertThat(status().state()).isEqualTo(BreakerState.half_open);

            assertThat(health.record(route, true)).isEqualTo(BreakerState.closed);
            assertThat(health.allow(route)).isTrue();
        }

        @Test
        void aFailedProbeOpensItForAnotherCoolDown() {
            record(false, 4);
            clock.advance(Duration.ofSeconds(31));
            assertThat(health.allow(route)).isTrue();

            assertThat(health.record(route, false)).isEqualTo(BreakerState.open);
            assertThat(health.allow(route)).isFalse();
            clock.advance(Duration.ofSeconds(31));
            assertThat(health.allow(route)).isTrue();
        }

        @Test
        void aResetClosesItByHand() {
            record(false, 4);
            health.reset(route);
            assertThat(health.allow(route)).isTrue();
            assertThat(status().windowCalls()).isZero();
        }
    }

    /**
     * Two workers on one Redis. They trust a closed breaker for 20 s of the test's clock, and count
     * gathered successes every 20 s of real time, which no test here lasts.
     */
    @Nested
    class TwoWorkers {
        private final BreakerConfig config = config(Duration.ofSeconds(20));
        private final RouteHealth one = new RouteHealth(redis, config, clock);
        private final RouteHealth other = new RouteHealth(redis, config, clock);

        @AfterEach
        void stop() {
            one.stop();
            other.stop();
        }

        @Test
        void successesOnAClosedBreakerAreGatheredAndCountedWithTheNextFailure() {
            assertThat(one.allow(route)).isTrue();
            for (int i = 0; i < 5; i++) {
                assertThat(one.record(route, true)).isEqualTo(BreakerState.closed);
            }
            assertThat(statusOf(other).windowCalls()).as("no Redis call per success").isZero();

            one.record(route, false);
            assertThat(statusOf(other).windowCalls()).isEqualTo(6);
            assertThat(statusOf(other).windowFailures()).isEqualTo(1);
        }

        @Test
        void gatheredFailuresOpenItAtTheSameRatioAsCallsCountedOneByOne() {
            one.allow(route);
            one.record(route, true);
            one.record(route, true);
            one.record(route, false);
            assertThat(statusOf(other).state()).isEqualTo(BreakerState.closed);
            assertThat(one.record(route, false)).as("2 of 4 failed").isEqualTo(BreakerState.open);
            assertThat(one.allow(route)).isFalse();
        }

        @Test
        void aWorkersOwnStatusIncludesWhatItGathered() {
            one.allow(route);
            one.record(route, true);
            one.record(route, true);
            assertThat(statusOf(one).windowCalls()).isEqualTo(2);
            assertThat(statusOf(other).windowCalls()).as("counted in Redis by the status read").isEqualTo(2);
        }

        @Test
        void stoppingCountsWhatWasGathered() {
            one.allow(route);
            one.record(route, true);
            one.record(route, true);
            one.stop();
            assertThat(statusOf(other).windowCalls()).isEqualTo(2);
        }

        @Test
        void anotherWorkersOpeningReachesThisOneOnceItsTrustRunsOut() {
            assertThat(one.allow(route)).isTrue();
            for (int i = 0; i < 4; i++) {
                other.record(route, false);
            }
            assertThat(other.allow(route)).isFalse();

            assertThat(one.allow(route)).as("still trusting the closed state it read").isTrue();
            clock.advance(Duration.ofSeconds(20));
            assertThat(one.allow(route)).isFalse();
        }

        @Test
        void aFailureAnswersTheStateAnotherWorkerLeftAndEndsTheTrust() {
            one.allow(route);
            for (int i = 0; i < 4; i++) {
                other.record(route, false);
            }
            assertThat(one.record(route, false)).isEqualTo(BreakerState.open);
            assertThat(one.allow(route)).isFalse();
        }

        private RouteStatus statusOf(RouteHealth worker) {
            return worker.status(route, "model", "provider", 0);
        }
    }

    @Test
    void withoutRedisEveryRouteCountsAsClosed() {
        RouteHealth cut = new RouteHealth(new JedisPooled("127.0.0.1", 1), CONFIG, clock);
        assertThat(cut.allow(route)).isTrue();
        assertThat(cut.record(route, false)).isEqualTo(BreakerState.closed);
    }

    private void record(boolean succeeded, int times) {
        for (int i = 0; i < times; i++) {
            health.record(route, succeeded);
        }
    }

    private RouteStatus status() {
        return health.status(route, "model", "provider", 0);
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
