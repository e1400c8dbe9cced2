/**
 * Top-ups from payment providers. Each provider payment has one row whose status only moves up in
 * rank; an event credits the wallet only the difference between what the payment is worth at its
 * new status and what it already credited, under a transfer id derived from the event. So a
 * replayed event changes nothing, and an event arriving out of order never moves a payment back.
 */
package dev.genq.payment;
