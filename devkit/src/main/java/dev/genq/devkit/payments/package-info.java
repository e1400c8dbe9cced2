/**
 * Payment-gateway emulators for tests and local runs, one per gateway genq starts top-ups at. Each
 * speaks its gateway's real creation request and notification formats over HTTP, checks genq's
 * signatures as the gateway would, signs its notifications as the gateway does, and can go down.
 */
package dev.genq.devkit.payments;
