package dev.genq.api.admin;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;

/**
 * Who made an admin change, from the {@code X-Genq-Actor} header. The admin key says the caller may
 * act; the header says which person did, for the record on every transfer and price change.
 */
final class Actor {
    static final String HEADER = "X-Genq-Actor";

    private Actor() {
    }

    static String require(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "name who makes this change in the " + HEADER + " header");
        }
        return actor.trim();
    }

    static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + what + "' is required");
        }
        return value.trim();
    }
}
