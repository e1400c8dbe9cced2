package dev.genq.maintenance;

import java.time.Duration;

/** A recurring maintenance task: bounded work per run, returning how many things it changed or found. */
public interface MaintenanceTask {

    /** Stable name; the recurring job's id is derived from it. */
    String name();

    Duration interval();

    int runOnce();
}
