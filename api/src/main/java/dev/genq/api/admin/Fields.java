package dev.genq.api.admin;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;

/** The admin API's required text fields: a reason, a dispute id, a name. */
final class Fields {

    private Fields() {
    }

    static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + what + "' is required");
        }
        return value.trim();
    }
}
