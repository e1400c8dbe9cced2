package dev.genq.account;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an account key (or a browser token made from it) may do. Stored space-separated, as OAuth scopes are. */
public enum Scope {
    /** Look: wallet, statement, models, generations, events. */
    READ,
    /** Spend: quotes, submits, cancels. */
    SUBMIT,
    /** Manage the account's keys and make browser tokens. Never given to a browser token. */
    KEYS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the names a client sent; refuses unknown or empty ones with a 400. */
    public static Set<Scope> parse(Collection<String> names) {
        if (names == null || names.isEmpty()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'scopes' must name at least one of " + known());
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            scopes.add(Arrays.stream(values()).filter(s -> s.wire().equals(name)).findFirst()
                .orElseThrow(() -> new GenqException(ErrorCode.INVALID_REQUEST, "unknown scope '" + name + "'; scopes are " + known())));
        }
        return scopes;
    }

    static Set<Scope> ofColumn(String column) {
        return parse(Arrays.asList(column.split(" ")));
    }

    static String toColumn(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wire).collect(Collectors.joining(" "));
    }

    private static String known() {
        return Arrays.stream(values()).map(Scope::wire).collect(Collectors.joining(", "));
    }
}
