package dev.genq.maintenance;

import dev.genq.generation.GenerationStatus;
import dev.genq.generation.Generations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.time.Clock;

/**
 * How much work is in flight, read from PostgreSQL at each scrape through partial indexes (no table
 * scan): {@code genq.generations.active{status}}, generations queued and running, and
 * {@code genq.generations.overdue}, running vendor tasks past their deadline. Overdue above zero for
 * long means a vendor that cannot cancel, or no worker checking: {@code GET
 * /admin/v1/generations?status=RUNNING&overdue=true} lists them. Exported once, by the scheduler role.
 */
@Context
@Requires(env = "scheduler")
class QueueGauges {
    QueueGauges(Generations generations, Clock clock, MeterRegistry registry) {
        for (GenerationStatus status : new GenerationStatus[] {GenerationStatus.QUEUED, GenerationStatus.RUNNING}) {
            Gauge.builder("genq.generations.active", generations, g -> g.activeCount(status))
                .tag("status", status.name().toLowerCase()).register(registry);
        }
        Gauge.builder("genq.generations.overdue", generations, g -> g.overdueCount(clock.instant())).register(registry);
    }
}
