/**
 * fal's queue API: submit, status with queue position, result and cancel; webhooks signed with
 * ED25519 under keys fal publishes as a JWKS.
 */
package dev.genq.provider.fal;
