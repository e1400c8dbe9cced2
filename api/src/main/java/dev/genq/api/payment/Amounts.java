package dev.genq.api.payment;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money as gateways write it. */
final class Amounts {
    private Amounts() {
    }

    /** Two decimals ("100.00"): amounts are made in whole cents, so this never rounds. */
    static String cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }
}
