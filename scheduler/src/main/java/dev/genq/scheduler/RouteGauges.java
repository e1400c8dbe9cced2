package dev.genq.scheduler;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.routing.RouteReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * {@code genq.route.state{route}}: each route's breaker (0 closed, 1 half-open, 2 open), read from
 * Redis at each scrape. Exported once, by the scheduler role, since the breaker is cluster-wide;
 * the workers export {@code genq.route.calls{route,outcome}} for rates.
 */
@Context
class RouteGauges {
    RouteGauges(Catalog catalog, RouteReport report, MeterRegistry registry) {
        for (Model model : catalog.models()) {
            for (int i = 0; i < model.routes().size(); i++) {
                int priority = i;
                Gauge.builder("genq.route.state", report, r -> r.status(model, priority).state().gaugeValue())
                    .tag("route", model.routes().get(i).id(model.id()))
                    .register(registry);
            }
        }
    }
}
