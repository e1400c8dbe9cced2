/**
 * Payment webhooks. NOWPayments IPNs are trusted by their HMAC-SHA512 signature over the key-sorted
 * body; YooKassa notifications are trusted for nothing but the payment id, which is re-fetched
 * from YooKassa's API. Both become {@link dev.genq.payment.PaymentEvent}s applied at most once.
 */
package dev.genq.api.payment;
