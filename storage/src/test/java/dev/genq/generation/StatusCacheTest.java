package dev.genq.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.support.StorageContext;
import io.micronaut.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The status cache on real Redis, and without it. */
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
    void withoutRedisReadsMissAndWritesAreDropped() {
        try (JedisPooled unreachable = new JedisPooled("127.0.0.1", 1)) {
            StatusCache offline = new StatusCache(unreachable, StorageContext.get().getBean(JsonMapper.class), Duration.ofMinutes(1));
            GenerationView view = aView(GenerationStatus.QUEUED, 0);

            offline.put(view);

            assertThat(offline.entry(view.id())).isEmpty();
        }
    }

    private static GenerationView aView(GenerationStatus status, int progress) {
        return aView(UUID.randomUUID(), status, progress);
    }

    private static GenerationView aView(UUID id, GenerationStatus status, int progress) {
        return new GenerationView(id, UUID.randomUUID(), "emu-image", status, progress, 1, 10, 1, List.of(), null, null,
            Instant.parse("2026-01-01T00:00:00Z"), null, null);
    }
}
