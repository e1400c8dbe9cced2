package dev.genq.staff;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a person may do through /admin, each role including the ones before it. */
public enum AdminRole {
    /** Reads accounts, generations, routes, models and the ledger: answers customers. */
    SUPPORT,
    /** Also moves money: adjustments and chargebacks. */
    FINANCE,
    /** Also changes prices, routes and who holds a key: opens accounts, makes and revokes admin keys. */
    ADMIN;

    public boolean includes(AdminRole needed) {
        return compareTo(needed) >= 0;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AdminRole parse(String name) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(name)).findFirst()
            .orElseThrow(() -> new GenqException(ErrorCode.INVALID_REQUEST, "'role' must be one of "
                + Arrays.stream(values()).map(AdminRole::wire).collect(Collectors.joining(", "))));
    }
}
