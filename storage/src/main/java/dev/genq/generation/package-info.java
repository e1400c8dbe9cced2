/**
 * Generations, by capability. {@link dev.genq.generation.GenerationStatus} is the state machine
 * (every status write goes through {@code Generation.moveTo} or a {@code Transition});
 * {@link dev.genq.generation.Submissions} is what an account does (submit, status, history,
 * cancel); {@link dev.genq.generation.TaskChecks} is how a worker drives a vendor task (start,
 * record, check, wake); {@link dev.genq.generation.Settlement} is how a generation ends and pays
 * (post or void, in the same transaction as the status); {@link dev.genq.generation.GenerationSearch}
 * is what operators and maintenance read. The repository's every write is conditional on the
 * state read, and it is package-private: no role can write a generation but through these classes,
 * which is why the worker's {@code TaskChecks} lives here and not in the worker module.
 * {@link dev.genq.generation.RunGenerationHandler} is the JobRunr handler every role can load (the
 * api validates the jobs it enqueues); the worker role provides the
 * {@link dev.genq.generation.GenerationExecutor} it calls.
 */
package dev.genq.generation;
