package dev.genq.api.activity;

import dev.genq.activity.ActivityLog;
import dev.genq.api.auth.AdminCaller;
import dev.genq.api.auth.Caller;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes successful audited requests to the activity log once they are answered: /v1 routes marked
 * {@link Audited}, and every /admin request that changes something, with the person, the account the
 * path names, and where the request came from. Only requests that change something pass through it:
 * status polls never do.
 */
@ServerFilter(value = {"/v1/**", "/admin/**"}, methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE})
class ActivityRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityRecorder.class);
    private final ActivityLog activity;
    private final RequestSources sources;
    private final ExecutorService blocking;

    ActivityRecorder(ActivityLog activity, RequestSources sources, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.activity = activity;
        this.sources = sources;
        this.blocking = blocking;
    }

    /**
     * Written before the response is, so a client that reads the log right after sees the event; most
     * requests write nothing. The action has committed by now: a log write that fails is reported,
     * and the answer still says what happened, so the client does not repeat it.
     */
    @ResponseFilter
    CompletableFuture<MutableHttpResponse<?>> record(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Runnable write = response.code() >= 300 ? null : RouteAttributes.getRouteMatch(request).map(route -> entry(request, route)).orElse(null);
        return write == null ? CompletableFuture.completedFuture(response) : CompletableFuture.supplyAsync(() -> {
            try {
                write.run();
            } catch (RuntimeException e) {
                LOG.error("activity of {} {} not recorded: {}", request.getMethodName(), request.getPath(), e.toString());
            }
            return response;
        }, blocking);
    }

    private Runnable entry(HttpRequest<?> request, RouteMatch<?> route) {
        Optional<String> audited = route.getAnnotationMetadata().stringValue(Audited.class);
        Optional<Caller> caller = request.getAttribute(Caller.ATTRIBUTE, Caller.class);
        if (audited.isPresent() && caller.isPresent()) {
            return () -> activity.record(caller.get().accountId(), "key:" + caller.get().keyId(), audited.get(),
                request.getMethodName() + " " + request.getPath(), sources.of(request));
        }
        Optional<AdminCaller> admin = request.getAttribute(AdminCaller.ATTRIBUTE, AdminCaller.class);
        if (admin.isPresent()) {
            String template = route instanceof UriRouteMatch<?, ?> uri ? uri.getRouteInfo().getUriMatchTemplate().toString() : request.getPath();
            return () -> activity.record(account(route, template), admin.get().person(), "admin.action",
                request.getMethodName() + " " + request.getPath(), sources.of(request));
        }
        return null;
    }

    private static UUID account(RouteMatch<?> route, String template) {
        Object id = template.startsWith("/admin/v1/accounts/{id}") ? route.getVariableValues().get("id") : null;
        try {
            return id == null ? null : UUID.fromString(id.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
