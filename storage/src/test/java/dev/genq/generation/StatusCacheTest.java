package dev.genq.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import dev.genq.support.StorageContext;
import io.micronaut.json.JsonMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** The status cache on real Redis, without it, and with Redis refusing writes for a while. */
class StatusCacheTest {
    private final StatusCache cache = StorageContext.get().getBean(StatusCache.class);

    @Test
    void aReadReturnsTheLastPublishedView() {
        GenerationView queued = aView(GenerationStatus.QUEUED, 0);
        cache.put(queued);
        cache.put(aView(queued.id(), GenerationStatus.RUNNING, 40));

        assertThat(cache.entry(queued.id()).map(cache::view)).get()
            .satisfies(v -> assertThat(v.status()).isEqualTo(GenerationStatus.RUNNING))
            .satisfies(v -> assertThat(v.progress()).isEqualTo(40));
    }

    @Test
    void aLateProgressTickNeverHidesTheEnd() {
        GenerationView done = aView(GenerationStatus.SUCCEEDED, 100);
        cache.put(done);
        cache.put(aView(done.id(), GenerationStatus.RUNNING, 90));

        assertThat(cache.entry(done.id()).map(cache::view)).get().extracting(GenerationView::status).isEqualTo(GenerationStatus.SUCCEEDED);
    }

    @Test
    void statusesPublishedTogetherEachKeepTheirOwnOrder() {
        GenerationView done = aView(GenerationStatus.SUCCEEDED, 100);
        cache.put(done);
        GenerationView queued = aView(GenerationStatus.QUEUED, 0);
        GenerationView running = aView(GenerationStatus.RUNNING, 30);

        cache.putAll(List.of(queued, running, aView(done.id(), GenerationStatus.RUNNING, 90)));

        assertPublished(queued);
        assertPublished(running);
        assertPublished(done);
    }

    @Test
    void aRedisThatLostItsScriptsIsSentThemAgain() {
        GenerationView alone = aView(GenerationStatus.QUEUED, 0);
        GenerationView first = aView(GenerationStatus.QUEUED, 0);
        GenerationView second = aView(GenerationStatus.RUNNING, 5);
        try (JedisPooled redis = new JedisPooled(TestServices.redis().uri())) {
            redis.scriptFlush(); // as after a restart or a failover
            cache.put(alone);
            redis.scriptFlush();
            cache.putAll(List.of(first, second));
        }

        List.of(alone, first, second).forEach(this::assertPublished);
        assertThat(cache.unwrittenCount()).isZero();
    }

    @Test
    void withoutRedisReadsMissAndWritesWaitForIt() {
        try (JedisPooled unreachable = new JedisPooled("127.0.0.1", 1)) {
            StatusCache offline = new StatusCache(unreachable, StorageContext.get().getBean(JsonMapper.class), java.time.Clock.systemUTC(), StorageContext.get().getBean(Dispatch.class), Duration.ofMinutes(1));
            GenerationView view = aView(GenerationStatus.QUEUED, 0);

            offline.put(view);

            assertThat(offline.entry(view.id())).isEmpty();
            assertThat(offline.unwrittenCount()).isEqualTo(1);
            offline.stop();
        }
    }

    @Test
    void aStatusRedisDidNotTakeIsWrittenOnceItCan() throws Exception {
        GenericObjectPoolConfig<Connection> one = new GenericObjectPoolConfig<>();
        one.setMaxTotal(1);
        one.setMaxWait(Duration.ofMillis(50));
        URI redis = URI.create(TestServices.redis().uri());
        try (JedisPooled pool = new JedisPooled(one, new HostAndPort(redis.getHost(), redis.getPort()), DefaultJedisClientConfig.builder().build())) {
            StatusCache busy = new StatusCache(pool, StorageContext.get().getBean(JsonMapper.class), java.time.Clock.systemUTC(), StorageContext.get().getBean(Dispatch.class), Duration.ofMinutes(1));
            GenerationView running = aView(GenerationStatus.RUNNING, 50);
            busy.put(running);
            GenerationView done = aView(running.id(), GenerationStatus.SUCCEEDED, 100);

            try (Connection held = pool.getPool().getResource()) { // the pool is exhausted, as under load
                busy.put(done);
                busy.put(aView(running.id(), GenerationStatus.RUNNING, 90)); // a late tick must not replace the end in the retry
                assertThat(busy.unwrittenCount()).isEqualTo(1);
            }

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (busy.unwrittenCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(busy.unwrittenCount()).isZero();
            assertThat(cache.entry(done.id()).map(cache::view)).get()
                .satisfies(v -> assertThat(v.status()).isEqualTo(GenerationStatus.SUCCEEDED))
                .satisfies(v -> assertThat(v.progress()).isEqualTo(100));
            busy.stop();
        }
    }

    @Test
    void aStatusThatCanStillChangeExpiresSoonerThanAnEnd() {
        GenerationView running = aView(GenerationStatus.RUNNING, 10);
        GenerationView done = aView(GenerationStatus.SUCCEEDED, 100);
        cache.put(running);
        cache.put(done);

        try (JedisPooled redis = new JedisPooled(TestServices.redis().uri())) {
            assertThat(redis.ttl(StatusCache.KEY_PREFIX + running.id())).isBetween(1L, StatusCache.ACTIVE_TTL.toSeconds());
            assertThat(redis.ttl(StatusCache.KEY_PREFIX + done.id())).isGreaterThan(StatusCache.ACTIVE_TTL.toSeconds());
        }
    }

    private void assertPublished(GenerationView view) {
        assertThat(cache.entry(view.id()).map(cache::view)).get()
            .satisfies(v -> assertThat(v.status()).isEqualTo(view.status()))
            .satisfies(v -> assertThat(v.progress()).isEqualTo(view.progress()));
    }

    private static GenerationView aView(GenerationStatus status, int progress) {
        return aView(UUID.randomUUID(), status, progress);
    }

    private static GenerationView aView(UUID id, GenerationStatus status, int progress) {
        return new GenerationView(id, UUID.randomUUID(), "emu-image", status, progress, 1, 10, 1, List.of(), null, null,
            Instant.parse("2026-01-01T00:00:00Z"), null, null, null, null, null, Map.of("prompt", "a cat"), null, null);
    }
}
