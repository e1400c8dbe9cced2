/**
 * Replicate predictions: create (with {@code webhook} and {@code webhook_events_filter}), get and
 * cancel; webhooks signed by the Standard Webhooks scheme Replicate documents.
 */
package dev.genq.provider.replicate;
