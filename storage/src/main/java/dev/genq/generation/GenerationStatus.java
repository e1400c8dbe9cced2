package dev.genq.generation;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a generation is. Status only moves forward (invariant I5). */
public enum GenerationStatus {
    /** Paid for (coins reserved) and waiting for a worker. Left by the worker (RUNNING), the owner (CANCELLED) or the scheduler (FAILED). */
    QUEUED,
    /**
     * A worker took it. Left by a worker, from what the vendor said: SUCCEEDED, FAILED, or CANCELLED
     * when the owner's cancel reached the vendor. The scheduler fails one whose hold expired before
     * any vendor task was recorded; one with a vendor task is never ended without the vendor's word.
     */
    RUNNING,
    /** Outputs stored and the reservation posted. Final. */
    SUCCEEDED,
    /** Gave up; the reservation was voided (coins back), or posted for the model's fee on that error. Final. */
    FAILED,
    /** The owner cancelled it; the reservation was voided, or posted for what the vendor delivered before it stopped. Final. */
    CANCELLED;

    private static final Map<GenerationStatus, Set<GenerationStatus>> ALLOWED = Map.of(
        QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
        RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
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
