package dev.genq.maintenance;

import dev.genq.generation.Generations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.time.Clock;

/**
 * {@code genq.generations.overdue}: running vendor tasks past their route's deadline, read from
 * PostgreSQL at each scrape (through the index of running tasks, not a table scan). Above zero for
 * long means a vendor that cannot cancel, or no worker checking: {@code GET
 * /admin/v1/generations?status=RUNNING&overdue=true} lists them.
 */
@Context
@Requires(env = "scheduler")
class OverdueGauge {
    OverdueGauge(Generations generations, Clock clock, MeterRegistry registry) {
        Gauge.builder("genq.generations.overdue", generations, g -> g.overdueCount(clock.instant()))
            .description("running vendor tasks past their deadline (being cancelled, or followed to their end)")
            .register(registry);
    }
}
