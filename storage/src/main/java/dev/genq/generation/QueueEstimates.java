package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where a generation stands in line and when it should be done, from the real queue: the QUEUED
 * generations of its model submitted before it (a Redis sorted set the status publisher keeps, see
 * {@link StatusCache}), the rate that model's generations started at over the last ten minutes, and
 * how long they ran. All of it is Redis: no PostgreSQL statement per poll or per event. An estimate
 * that cannot be made (Redis down, a model with no recent starts) is left out, never guessed.
 */
@Singleton
public class QueueEstimates {
    private static final Logger LOG = LoggerFactory.getLogger(QueueEstimates.class);
    /** The window the rates are measured over, in whole minutes (the current one counts for its elapsed part). */
    static final int WINDOW_MINUTES = 10;
    /** A QUEUED generation older than this is no longer in line: its hold expired and the scheduler ends it. */
    static final Duration LONGEST_WAIT = Duration.ofHours(2);
    private static final Duration RATES_FRESH = Duration.ofSeconds(5);

    private final JedisPooled redis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Rates> rates = new ConcurrentHashMap<>();

    public QueueEstimates(JedisPooled redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /**
     * {@code position}: how many generations of its model wait ahead of a QUEUED one (0: it starts
     * next). The estimated start and finish are absent when the model started nothing lately.
     */
    public record Estimate(@Nullable Long position, @Nullable Instant estimatedStartAt, @Nullable Instant estimatedFinishAt) {
    }

    /** What the model's generations did lately: starts per second, and their mean run time. */
    record Rates(double startsPerSecond, @Nullable Duration meanRun, long loadedAtMillis) {
    }

    /** The estimate of a QUEUED or RUNNING generation; empty for an ended one or when Redis cannot tell. */
    public Optional<Estimate> of(UUID id, StatusCache.Entry status) {
        return of(id, status.rank(), status.model(), status.startedMillis());
    }

    public Optional<Estimate> of(GenerationView view) {
        return of(view.id(), view.status().rank(), view.model(), view.startedAt() == null ? 0 : view.startedAt().toEpochMilli());
    }

    private Optional<Estimate> of(UUID id, int rank, String model, long startedMillis) {
        if (rank > GenerationStatus.RUNNING.rank()) {
            return Optional.empty();
        }
        try {
            Rates r = rates(model);
            Instant now = clock.instant();
            if (rank == GenerationStatus.RUNNING.rank()) {
                Instant finish = r.meanRun() == null ? null : Instant.ofEpochMilli(startedMillis).plus(r.meanRun());
                return Optional.of(new Estimate(null, null, finish == null || finish.isBefore(now) ? null : finish));
            }
            Long ahead = redis.zrank(queueKey(model), id.toString());
            if (ahead == null) {
                return Optional.empty();
            }
            Instant start = r.startsPerSecond() <= 0 ? null : now.plusMillis(Math.round(ahead / r.startsPerSecond() * 1000));
            Instant finish = start == null || r.meanRun() == null ? null : start.plus(r.meanRun());
            return Optional.of(new Estimate(ahead, start, finish));
        } catch (JedisException e) {
            LOG.debug("queue estimate of {} not made: {}", id, e.toString());
            return Optional.empty();
        }
    }

    private Rates rates(String model) {
        long now = clock.millis();
        Rates cached = rates.get(model);
        if (cached != null && now - cached.loadedAtMillis() < RATES_FRESH.toMillis()) {
            return cached;
        }
        long minute = now / 60_000;
        List<Response<String>> starts = new ArrayList<>(WINDOW_MINUTES);
        List<Response<Map<String, String>>> runs = new ArrayList<>(WINDOW_MINUTES);
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (int i = 0; i < WINDOW_MINUTES; i++) {
                starts.add(pipeline.get(startsKey(model, minute - i)));
                runs.add(pipeline.hgetAll(runtimeKey(model, minute - i)));
            }
            pipeline.sync();
        }
        long started = starts.stream().map(Response::get).filter(v -> v != null).mapToLong(Long::parseLong).sum();
        long runMillis = 0;
        long runCount = 0;
        for (Response<Map<String, String>> run : runs) {
            runMillis += Long.parseLong(run.get().getOrDefault("ms", "0"));
            runCount += Long.parseLong(run.get().getOrDefault("n", "0"));
        }
        double seconds = (WINDOW_MINUTES - 1) * 60.0 + (now % 60_000) / 1000.0;
        Rates fresh = new Rates(started / seconds, runCount == 0 ? null : Duration.ofMillis(runMillis / runCount), now);
        rates.put(model, fresh);
        return fresh;
    }

    static String queueKey(String model) {
        return "genq:queued:" + model;
    }

    static String startsKey(String model, long minute) {
        return "genq:starts:" + model + ":" + minute;
    }

    static String runtimeKey(String model, long minute) {
        return "genq:runtime:" + model + ":" + minute;
    }
}
