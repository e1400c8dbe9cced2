/**
 * Recurring maintenance, run by JobRunr so each run happens once cluster-wide. Each task has a
 * config with defaults and a {@code runOnce()} that works in bounded batches and returns counts.
 * The scheduler role declares the recurring jobs; any worker's job server executes them.
 */
package dev.genq.maintenance;
