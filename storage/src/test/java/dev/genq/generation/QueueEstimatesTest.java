package dev.genq.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import dev.genq.support.StorageContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What publishing a status does besides storing it, on real Redis: the account's event stream and
 * the announcement every api node hears, the model's queue in submit order, and the estimates made
 * from it (position, start and finish).
 */
class QueueEstimatesTest {
    private final StatusCache cache = StorageContext.get().getBean(StatusCache.class);
    private final JedisPooled redis = new JedisPooled(TestServices.redis().uri());

    @Test
    void aQueuedGenerationKnowsHowManyWaitAheadAndWhenItShouldStartAndEnd() {
        String model = "m-" + UUID.randomUUID();
        UUID account = UUID.randomUUID();
        Instant t = Instant.now().minusSeconds(60);
        GenerationView first = view(account, model, GenerationStatus.QUEUED, t, null, null);
        GenerationView second = view(account, model, GenerationStatus.QUEUED, t.plusSeconds(1), null, null);
        GenerationView third = view(account, model, GenerationStatus.QUEUED, t.plusSeconds(2), null, null);
        cache.putAll(List.of(third, first, second));

        assertThat(List.of(first, second, third)).extracting(v -> estimates().of(v.id(), entry(v)).orElseThrow().position())
            .containsExactly(0L, 1L, 2L);
        assertThat(estimates().of(first.id(), entry(first)).orElseThrow().estimatedStartAt()).as("nothing started lately").isNull();

        Instant started = Instant.now().minusSeconds(40);
        cache.put(view(first.id(), account, model, GenerationStatus.RUNNING, t, started, null));
        cache.put(view(first.id(), account, model, GenerationStatus.SUCCEEDED, t, started, started.plusSeconds(30)));
        QueueEstimates fresh = estimates();

        QueueEstimates.Estimate next = fresh.of(second.id(), entry(second)).orElseThrow();
        QueueEstimates.Estimate last = fresh.of(third.id(), entry(third)).orElseThrow();
        assertThat(next.position()).isZero();
        assertThat(last.position()).isEqualTo(1L);
        assertThat(next.estimatedStartAt()).isNotNull().isBefore(last.estimatedStartAt());
        assertThat(Duration.between(last.estimatedStartAt(), last.estimatedFinishAt())).as("the mean run").isEqualTo(Duration.ofSeconds(30));
        assertThat(fresh.of(first.id(), entry(first))).as("ended").isEmpty();
    }

    @Test
    void everyStatusIsAppendedToItsAccountsStreamAndAnnouncedButAStatusBehindIsNeither() throws Exception {
        UUID account = UUID.randomUUID();
        String model = "m-" + UUID.randomUUID();
        BlockingQueue<String> heard = new ArrayBlockingQueue<>(10);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                if (message.contains(account.toString())) {
                    heard.add(message);
                }
            }
        };
        Thread.ofVirtual().start(() -> new JedisPooled(TestServices.redis().uri()).subscribe(listener, StatusCache.EVENTS_CHANNEL));
        while (listener.getSubscribedChannels() == 0) {
            Thread.sleep(10);
        }
        try {
            GenerationView queued = view(account, model, GenerationStatus.QUEUED, Instant.now(), null, null);
            cache.put(queued);
            cache.put(view(queued.id(), account, model, GenerationStatus.RUNNING, queued.createdAt(), Instant.now(), null));
            cache.put(queued); // late: behind RUNNING

            List<StreamEntry> stream = redis.xrange(StatusCache.eventsKey(account), (StreamEntryID) null, null);
            assertThat(stream).extracting(e -> e.getFields().get("g")).containsExactly(queued.id().toString(), queued.id().toString());
            assertThat(stream.get(1).getFields().get("v")).contains("\"RUNNING\"");
            assertThat(redis.zscore(QueueEstimates.queueKey(model), queued.id().toString())).as("left the queue for good").isNull();

            StatusCache.Announcement one = StatusCache.Announcement.parse(heard.poll(5, TimeUnit.SECONDS)).orElseThrow();
            StatusCache.Announcement two = StatusCache.Announcement.parse(heard.poll(5, TimeUnit.SECONDS)).orElseThrow();
            assertThat(List.of(one.eventId(), two.eventId())).containsExactly(stream.get(0).getID().toString(), stream.get(1).getID().toString());
            assertThat(two.generationId()).isEqualTo(queued.id());
            assertThat(two.entry().accountId()).isEqualTo(account);
            assertThat(two.entry().rank()).isEqualTo(GenerationStatus.RUNNING.rank());
            assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("nothing for the late QUEUED").isNull();
        } finally {
            listener.unsubscribe();
        }
    }

    private QueueEstimates estimates() {
        return new QueueEstimates(redis, Clock.systemUTC());
    }

    private StatusCache.Entry entry(GenerationView v) {
        return cache.entry(v.id()).orElseThrow();
    }

    private static GenerationView view(UUID account, String model, GenerationStatus status, Instant created, Instant started, Instant finished) {
        return view(UUID.randomUUID(), account, model, status, created, started, finished);
    }

    private static GenerationView view(UUID id, UUID account, String model, GenerationStatus status, Instant created, Instant started,
                                       Instant finished) {
        return new GenerationView(id, account, model, status, 0, 1, 10, 1, List.of(), null, null, created, started, finished, null, null,
            null, Map.of("prompt", "a cat"), null, null);
    }
}
