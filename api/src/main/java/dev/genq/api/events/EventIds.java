package dev.genq.api.events;

import java.util.regex.Pattern;

/** Redis stream ids ("<millis>-<sequence>"), as event ids: compared by number, not by text. */
final class EventIds {
    private static final Pattern SHAPE = Pattern.compile("\\d{1,19}-\\d{1,19}");

    private EventIds() {
    }

    static boolean valid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }

    /** Whether {@code a} comes strictly before {@code b}. */
    static boolean before(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int millis = Long.compareUnsigned(Long.parseUnsignedLong(a, 0, dashA, 10), Long.parseUnsignedLong(b, 0, dashB, 10));
        if (millis != 0) {
            return millis < 0;
        }
        return Long.compareUnsigned(Long.parseUnsignedLong(a, dashA + 1, a.length(), 10), Long.parseUnsignedLong(b, dashB + 1, b.length(), 10)) < 0;
    }
}
