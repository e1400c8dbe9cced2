package dev.genq.routing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** What admins see about one route: its breaker and the calls counted in the current window. */
@Serdeable
public record RouteStatus(String route, String model, String provider, int priority, BreakerState state,
                          long windowCalls, long windowFailures, @Nullable Instant openedAt) {
}
