/**
 * Generations: the state machine, the repository whose every write is conditional on the expected
 * state, the service that pairs each state change with its ledger operation in one transaction
 * and publishes the committed status to Redis, and the JobRunr request that runs one generation.
 */
package dev.genq.generation;
