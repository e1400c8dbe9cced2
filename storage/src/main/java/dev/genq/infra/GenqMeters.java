package dev.genq.infra;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;

/**
 * Every meter of genq's own, and the framework's that come without one, described in one place:
 * the help text Prometheus shows (and {@code promtool check metrics} asks for), and histogram buckets for the timers, so that
 * Prometheus can compute quantiles across nodes ({@code histogram_quantile}). Meters are created
 * where they are counted, by name alone; this filter gives each its description and buckets.
 */
@Singleton
class GenqMeters implements MeterFilter {
    private static final Map<String, String> HELP = Map.ofEntries(
        Map.entry("genq.generations.submitted", "generations admitted: coins reserved and the job queued, by model"),
        Map.entry("genq.generations.finished", "generations ended, by model and final status"),
        Map.entry("genq.generation.duration", "time from submit to end of each generation, by model and final status"),
        Map.entry("genq.coins", "coins by ledger operation: reserved at submit, posted (charged) and voided (released) at the end"),
        Map.entry("genq.provider.call", "calls to vendors, by provider account, operation (submit, poll, download, cancel) and outcome"),
        Map.entry("genq.route.calls", "submits by route and outcome (ok, failed, refused by an open breaker)"),
        Map.entry("genq.vendor.cancels", "cancels genq sent to vendors, by provider account, reason (deadline, owner) and outcome (taken, refused)"),
        Map.entry("genq.vendor.statuses.unknown", "task statuses a vendor reported that genq does not know (the task runs on to its deadline),"
            + " by provider account and status"),
        Map.entry("genq.worker.task.polls", "polls of this worker for vendor tasks due for a check"),
        Map.entry("genq.generations.overdue", "running vendor tasks past their deadline (being cancelled, or followed to their end)"),
        Map.entry("genq.generations.active", "generations waiting in the queue (queued) and at their vendor (running), by model"),
        Map.entry("genq.generations.queued.oldest", "age of the oldest queued generation (0 when none is queued)"),
        Map.entry("genq.vendor.tasks.inflight", "vendor tasks in flight, by provider account"),
        Map.entry("genq.ledger.discrepancies", "discrepancies found by the last ledger reconciliation (0 when the ledger balances)"),
        Map.entry("genq.route.state", "route breaker: 0 closed, 1 half-open, 2 open"),
        // Meters of the framework that come without a description.
        Map.entry("http.server.requests", "HTTP requests served, by method, route (uri) and status"),
        Map.entry("http.client.requests", "HTTP calls made (vendors, payment gateways), by method, host, route and status"),
        Map.entry("executor", "time tasks took to run on an executor, by executor name"));
    /** Bucket bounds of each timer: from its fastest plausible value to its slowest. */
    private static final Map<String, Duration[]> RANGE = Map.of(
        "genq.generation.duration", new Duration[] {Duration.ofMillis(100), Duration.ofHours(6)},
        "genq.provider.call", new Duration[] {Duration.ofMillis(5), Duration.ofMinutes(10)});

    @Override
    public Meter.Id map(Meter.Id id) {
        String help = HELP.get(id.getName());
        return help == null || id.getDescription() != null ? id
            : new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        Duration[] range = RANGE.get(id.getName());
        if (range == null) {
            return config;
        }
        return DistributionStatisticConfig.builder().percentilesHistogram(true)
            .minimumExpectedValue((double) range[0].toNanos()).maximumExpectedValue((double) range[1].toNanos())
            .build().merge(config);
    }
}
