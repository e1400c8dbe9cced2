/**
 * Running generations: the JobRunr background job server of the worker role, the handler that
 * takes one generation from QUEUED to an end, the one place that maps a provider outcome to a
 * state and a ledger operation, and the copying of outputs from the vendor into S3.
 */
package dev.genq.execution;
