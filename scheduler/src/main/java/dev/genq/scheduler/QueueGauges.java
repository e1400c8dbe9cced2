package dev.genq.scheduler;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.generation.GenerationSearch;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.WorkInFlight;
import dev.genq.infra.StopSignal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much work is in flight, the signal for scaling workers and for alerts. Every
 * {@code genq.metrics.refresh} (5 s) one read of the active generations ({@link WorkInFlight})
 * updates: {@code genq.generations.active{status,model}}, queued and running per model (every
 * catalog model, 0 when idle); {@code genq.generations.queued.oldest}, the age in seconds of the
 * oldest queued generation (0 when none); {@code genq.vendor.tasks.inflight{provider}}, tasks at
 * each provider account. A scrape reads these values and runs no SQL. {@code
 * genq.generations.overdue} counts running vendor tasks past their deadline; above zero for long
 * it means a vendor that cannot cancel, or no worker checking ({@code GET
 * /admin/v1/generations?status=RUNNING&overdue=true} lists them). Exported once, by the scheduler role.
 */
@Context
class QueueGauges {
    private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);
    private final WorkInFlight work;
    private final Clock clock;
    private final Duration refresh;
    private final MultiGauge active;
    private final MultiGauge inFlight;
    private final AtomicReference<Double> oldestQueuedSeconds = new AtomicReference<>(0.0);
    /** Models and provider accounts ever seen, kept at 0 when idle so that their series do not vanish. */
    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private final Set<String> providers = ConcurrentHashMap.newKeySet();
    private final StopSignal stop = new StopSignal();
    private final Thread loop;

    QueueGauges(WorkInFlight work, GenerationSearch search, Catalog catalog, Clock clock, MeterRegistry registry,
                @Value("${genq.metrics.refresh:5s}") Duration refresh) {
        this.work = work;
        this.clock = clock;
        this.refresh = refresh;
        catalog.models().stream().map(Model::id).forEach(models::add);
        active = MultiGauge.builder("genq.generations.active").register(registry);
        inFlight = MultiGauge.builder("genq.vendor.tasks.inflight").register(registry);
        Gauge.builder("genq.generations.queued.oldest", oldestQueuedSeconds, AtomicReference::get).baseUnit("seconds").register(registry);
        Gauge.builder("genq.generations.overdue", search, s -> s.overdueCount(clock.instant())).register(registry);
        loop = Thread.ofVirtual().name("genq-queue-gauges").start(this::refreshLoop);
    }

    private void refreshLoop() {
        do {
            update();
        } while (stop.pause(refresh));
    }

    private void update() {
        List<WorkInFlight.Group> groups;
        try {
            groups = work.groups();
        } catch (RuntimeException e) {
            LOG.warn("reading the work in flight for the gauges failed; they keep their last values: {}", e.toString());
            return;
        }
        Map<Active, Long> byStatusAndModel = new HashMap<>();
        Map<String, Long> byProvider = new TreeMap<>();
        Instant oldest = null;
        for (WorkInFlight.Group g : groups) {
            models.add(g.model());
            byStatusAndModel.merge(new Active(g.status(), g.model()), g.count(), Long::sum);
            if (g.atVendor()) {
                providers.add(g.provider());
                byProvider.merge(g.provider(), g.count(), Long::sum);
            }
            if (g.status() == GenerationStatus.QUEUED && (oldest == null || g.oldestCreatedAt().isBefore(oldest))) {
                oldest = g.oldestCreatedAt();
            }
        }
        active.register(models.stream().flatMap(model -> List.of(GenerationStatus.QUEUED, GenerationStatus.RUNNING).stream()
            .map(status -> MultiGauge.Row.of(Tags.of("status", status.name().toLowerCase(Locale.ROOT), "model", model),
                byStatusAndModel.getOrDefault(new Active(status, model), 0L)))).toList(), true);
        inFlight.register(providers.stream().map(p -> MultiGauge.Row.of(Tags.of("provider", p), byProvider.getOrDefault(p, 0L))).toList(), true);
        oldestQueuedSeconds.set(oldest == null ? 0.0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0));
    }

    private record Active(GenerationStatus status, String model) {
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stop.stop();
        loop.join(2_000);
    }
}
