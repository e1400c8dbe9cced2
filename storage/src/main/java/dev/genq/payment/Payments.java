package dev.genq.payment;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerResult;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies verified payment events to the ledger, each at most once (invariant I4). */
@Singleton
public class Payments {
    private static final Logger LOG = LoggerFactory.getLogger(Payments.class);
    private final PaymentRepository payments;
    private final Ledger ledger;

    Payments(PaymentRepository payments, Ledger ledger) {
        this.payments = payments;
        this.ledger = ledger;
    }

    @Transactional
    public PaymentOutcome apply(PaymentEvent event) {
        if (ledger.wallet(event.accountId()).isEmpty()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "payment " + event.ref() + " names unknown account " + event.accountId());
        }
        payments.insertIfAbsent(event.provider(), event.paymentId(), event.accountId());
        Payment payment = payments.lock(event.provider(), event.paymentId()).orElseThrow();
        if (!payment.accountId().equals(event.accountId())) {
            LOG.warn("payment {} event names account {} but the payment belongs to {}; ignored", event.ref(), event.accountId(), payment.accountId());
            return new PaymentOutcome(false, 0, payment.status());
        }
        if (event.rank() <= payment.statusRank()) {
            return new PaymentOutcome(false, 0, payment.status()); // a replay, or older news than we have
        }
        long credit = Math.max(0, event.worthCoins() - payment.creditedCoins());
        if (credit > 0) {
            LedgerResult result = ledger.credit(Ledger.derivedId("payment:" + event.ref() + ":" + event.status()),
                event.accountId(), credit, event.ref());
            if (result != LedgerResult.OK) {
                throw new IllegalStateException("crediting payment " + event.ref() + " answered " + result);
            }
        }
        payments.advance(event.provider(), event.paymentId(), event.status(), event.rank(), credit);
        LOG.info("payment {} is {}: credited {} coins to account {}", event.ref(), event.status(), credit, event.accountId());
        return new PaymentOutcome(true, credit, event.status());
    }
}
