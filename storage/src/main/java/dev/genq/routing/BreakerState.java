package dev.genq.routing;

import io.micronaut.serde.annotation.Serdeable;

/** A route breaker's position. Calls flow when closed; none when open; one probe when half-open. */
@Serdeable
public enum BreakerState {
    closed, half_open, open;

    /** The value of the {@code genq_route_state} gauge: 0 closed, 1 half-open, 2 open. */
    public int gaugeValue() {
        return ordinal();
    }
}
