/**
 * The production entry point: one image whose roles (api, worker, scheduler) are chosen by
 * GENQ_ROLES and become Micronaut environments, which switch each role's beans on or off.
 */
package dev.genq.server;
