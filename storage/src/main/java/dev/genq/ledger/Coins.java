package dev.genq.ledger;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Bounds on the amounts of coins that people and payment gateways set, checked where the amounts
 * come in, so that a hostile or mistaken number is a clear 400 and never an overflow deep inside.
 */
public final class Coins {
    /**
     * The most one price, credit or debit may be: a trillion coins. Far above any real top-up or
     * generation, and so far below {@code long}'s range that a wallet's sums of them cannot overflow
     * in practice.
     */
    public static final long MAX = 1_000_000_000_000L;
    /** The most decimal places a money amount may carry (crypto currencies use up to 18). */
    private static final int MAX_SCALE = 18;

    private Coins() {
    }

    /** {@code coins} when it lies in [0, {@link #MAX}]; else 400 naming {@code what}. */
    public static long require(long coins, String what) {
        if (coins < 0 || coins > MAX) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + what + "' must be between 0 and " + MAX + " coins");
        }
        return coins;
    }

    /** {@code perUnit × units}; 400 invalid_input when that is beyond {@link #MAX}. */
    public static long times(long perUnit, int units) {
        if (units < 0 || (units > 0 && perUnit > MAX / units)) {
            throw new GenqException(ErrorCode.INVALID_INPUT, units + " units at " + perUnit + " coins each would cost more than "
                + MAX + " coins");
        }
        return perUnit * units;
    }

    /** A non-negative money amount given as text (a gateway's field); 400 naming {@code what} when it is none. */
    public static BigDecimal money(String text, String what) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + what + "' must be a decimal amount, not '" + abbreviated(text) + "'");
        }
        // Checked before any arithmetic: 1e999999999 is a valid BigDecimal whose digits would fill the heap.
        if (value.signum() < 0 || value.scale() > MAX_SCALE || value.precision() - value.scale() > 19) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + what + "' is not a money amount genq accepts: " + abbreviated(text));
        }
        return value;
    }

    /** The whole coins {@code amount} buys at {@code coinsPerUnit}, rounded down; 400 naming {@code what} beyond {@link #MAX}. */
    public static long of(BigDecimal amount, BigDecimal coinsPerUnit, String what) {
        BigDecimal coins = amount.multiply(coinsPerUnit).setScale(0, RoundingMode.DOWN);
        if (coins.compareTo(BigDecimal.valueOf(MAX)) > 0) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + what + "' is worth more than " + MAX + " coins");
        }
        return coins.longValueExact();
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
