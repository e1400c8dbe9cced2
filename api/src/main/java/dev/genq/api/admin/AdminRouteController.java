package dev.genq.api.admin;

import dev.genq.api.auth.AdminAccess;
import dev.genq.api.auth.AdminCaller;
import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.routing.RouteHealth;
import dev.genq.routing.RouteReport;
import dev.genq.routing.RouteStatus;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route health for operators: {@code GET /admin/v1/routes} lists every model's routes in failover
 * order with their breaker state and the current window's calls and failures; {@code POST
 * /admin/v1/routes/{model}/{provider}/reset} closes a breaker by hand after a fix.
 */
@ErrorResponses
@Controller("/admin/v1/routes")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminRouteController {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRouteController.class);
    private final RouteReport report;
    private final RouteHealth health;
    private final Catalog catalog;

    AdminRouteController(RouteReport report, RouteHealth health, Catalog catalog) {
        this.report = report;
        this.health = health;
        this.catalog = catalog;
    }

    @Get
    @AdminAccess(AdminRole.SUPPORT)
    List<RouteStatus> list() {
        return report.all();
    }

    @Post("/{model}/{provider}/reset")
    @AdminAccess(AdminRole.ADMIN)
    RouteStatus reset(@PathVariable String model, @PathVariable String provider, @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin) {
        String who = admin.person();
        Model found = catalog.model(model);
        int priority = found.routes().indexOf(found.route(provider)
            .orElseThrow(() -> GenqException.notFound("route of model " + model + " on provider account " + provider)));
        health.reset(found.routes().get(priority).id(model));
        LOG.info("{} reset the breaker of route {}/{}", who, model, provider);
        return report.status(found, priority);
    }
}
