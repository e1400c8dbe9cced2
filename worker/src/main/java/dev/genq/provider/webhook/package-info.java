/**
 * Vendor webhooks, served by the worker role. A webhook is verified (HMAC-SHA256 of
 * "timestamp.body" with the account's secret, within five minutes) and then only wakes the check of
 * the task it names: the vendor's API is asked what happened, so a webhook can never move money on
 * its own, a replay is harmless, and one that arrives before genq recorded the task is simply
 * followed up by the poller.
 */
package dev.genq.provider.webhook;
