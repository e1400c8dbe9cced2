package dev.genq.routing;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Every route of the catalog with its breaker, in the catalog's order: what admins and metrics see. */
@Singleton
public class RouteReport {
    private final Catalog catalog;
    private final RouteHealth health;

    public RouteReport(Catalog catalog, RouteHealth health) {
        this.catalog = catalog;
        this.health = health;
    }

    public List<RouteStatus> all() {
        List<RouteStatus> statuses = new ArrayList<>();
        for (Model model : catalog.models()) {
            for (int i = 0; i < model.routes().size(); i++) {
                statuses.add(status(model, i));
            }
        }
        return statuses;
    }

    /** The status of route {@code priority} (0 = primary) of {@code model}. */
    public RouteStatus status(Model model, int priority) {
        String provider = model.routes().get(priority).provider();
        return health.status(model.routes().get(priority).id(model.id()), model.id(), provider, priority);
    }
}
