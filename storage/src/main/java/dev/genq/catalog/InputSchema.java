package dev.genq.catalog;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Type and range checks for one input value; returns the value in its canonical Java type. */
final class InputSchema {
    private InputSchema() {
    }

    static Object check(String name, InputField field, Object value) {
        return switch (field.type()) {
            case "string" -> checkString(name, field, value);
            case "integer" -> checkRange(name, field, integral(name, value));
            case "number" -> checkRange(name, field, number(name, value));
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    throw Catalog.invalid("input '" + name + "' must be true or false");
                }
                yield value;
            }
            default -> throw new IllegalStateException("catalog field " + name + " has unknown type " + field.type());
        };
    }

    private static String checkString(String name, InputField field, Object value) {
        if (!(value instanceof String s)) {
            throw Catalog.invalid("input '" + name + "' must be a string");
        }
        if (!storable(s)) {
            throw Catalog.invalid("input '" + name + "' holds a NUL character or a broken UTF-16 surrogate, which no text may hold");
        }
        int length = s.codePointCount(0, s.length());
        if (field.minLength() != null && length < field.minLength()) {
            throw Catalog.invalid("input '" + name + "' must have at least " + field.minLength() + " characters");
        }
        if (field.maxLength() != null && length > field.maxLength()) {
            throw Catalog.invalid("input '" + name + "' must have at most " + field.maxLength() + " characters");
        }
        if (field.values() != null && !field.values().contains(s)) {
            throw Catalog.invalid("input '" + name + "' must be one of " + String.join(", ", field.values()));
        }
        return s;
    }

    /** Text PostgreSQL can store: no NUL, and every surrogate in a pair (a lone one has no UTF-8 form). */
    static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static long integral(String name, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 63) {
            return big.longValue();
        }
        if (value instanceof BigDecimal dec) {
            try {
                return dec.longValueExact();
            } catch (ArithmeticException e) {
                // falls through to the error below
            }
        }
        throw Catalog.invalid("input '" + name + "' must be a whole number");
    }

    private static double number(String name, Object value) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw Catalog.invalid("input '" + name + "' must be a number");
    }

    private static <N extends Number> N checkRange(String name, InputField field, N value) {
        double v = value.doubleValue();
        if ((field.min() != null && v < field.min()) || (field.max() != null && v > field.max())) {
            throw Catalog.invalid("input '" + name + "' must be between " + bound(field.min()) + " and " + bound(field.max()));
        }
        return value;
    }

    private static String bound(Double b) {
        return b == null ? "any" : (b == Math.rint(b) ? String.valueOf(b.longValue()) : b.toString());
    }
}
