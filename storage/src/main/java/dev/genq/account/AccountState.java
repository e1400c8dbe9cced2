package dev.genq.account;

import java.util.Locale;

/**
 * Where an account stands. SUSPENDED is an admin's pause (balance kept); BLOCKED follows a
 * chargeback (balance forfeited); CLOSED follows an erasure and is final. Only ACTIVE pays.
 */
public enum AccountState {
    ACTIVE, SUSPENDED, BLOCKED, CLOSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AccountState of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
