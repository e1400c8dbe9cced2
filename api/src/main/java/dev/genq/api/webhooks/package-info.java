/**
 * /v1/webhooks: an account's endpoints (made with their signing secret shown once, listed,
 * disabled), their deliveries with every attempt, and replaying a delivery.
 */
package dev.genq.api.webhooks;
