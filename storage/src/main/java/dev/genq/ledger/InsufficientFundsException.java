package dev.genq.ledger;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;

/** Thrown inside the caller's transaction, so whatever it wrote before the reservation rolls back too. */
public class InsufficientFundsException extends GenqException {
    public InsufficientFundsException(long neededCoins, long balanceCoins) {
        super(ErrorCode.INSUFFICIENT_FUNDS,
            "this costs " + neededCoins + " coins and the wallet has " + balanceCoins + " available");
    }
}
