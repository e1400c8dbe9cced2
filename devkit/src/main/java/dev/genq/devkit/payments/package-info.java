/**
 * Payment-provider emulators for tests and local runs: a NOWPayments IPN sender that signs as
 * NOWPayments does, and a YooKassa API that answers payment look-ups, with a switch to go down.
 */
package dev.genq.devkit.payments;
