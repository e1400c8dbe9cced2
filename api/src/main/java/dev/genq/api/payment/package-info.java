/**
 * Top-ups: {@code /v1/topups} creates a payment at a gateway and answers the page to send the user
 * to; each gateway class also receives that gateway's notifications, verifies them by the
 * gateway's own scheme, and hands a {@link dev.genq.payment.PaymentNotice} to
 * {@link dev.genq.payment.Payments}, which credits at most once.
 */
package dev.genq.api.payment;
