package dev.genq.generation;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a generation is. Status only moves forward (invariant I5). */
public enum GenerationStatus {
    /** Paid for (coins reserved) and waiting for a worker. Left by the worker (RUNNING), the owner (CANCELLED) or the scheduler (FAILED). */
    QUEUED,
    /** A worker took it. Left only by a worker: SUCCEEDED or FAILED. */
    RUNNING,
    /** Outputs stored and the reservation posted. Final. */
    SUCCEEDED,
    /** Gave up; the reservation was voided (coins back). Final. */
    FAILED,
    /** The owner cancelled it while queued; the reservation was voided. Final. */
    CANCELLED;

    private static final Map<GenerationStatus, Set<GenerationStatus>> ALLOWED = Map.of(
        QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
        RUNNING, EnumSet.of(SUCCEEDED, FAILED),
        SUCCEEDED, EnumSet.noneOf(GenerationStatus.class),
        FAILED, EnumSet.noneOf(GenerationStatus.class),
        CANCELLED, EnumSet.noneOf(GenerationStatus.class));

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    public boolean canMoveTo(GenerationStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Orders statuses for caches that must never move a status backwards. */
    public int rank() {
        return switch (this) {
            case QUEUED -> 0;
            case RUNNING -> 1;
            default -> 2;
        };
    }
}
