/**
 * Customer webhooks: endpoints an account registers (SSRF-checked), the deliveries a generation's
 * end makes for them (written with the end, in its transaction), Standard Webhooks signatures, and
 * the retry schedule. The worker role sends them.
 */
package dev.genq.webhook;
