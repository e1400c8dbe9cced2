/**
 * Recurring maintenance, run by JobRunr so each run happens once cluster-wide. Each task has a
 * config with defaults and a {@code runOnce()} that works in bounded batches and returns counts.
 * The scheduler role declares the recurring jobs ({@link dev.genq.scheduler}); any worker's job
 * server executes them, so nothing here is gated to a role.
 */
package dev.genq.maintenance;
