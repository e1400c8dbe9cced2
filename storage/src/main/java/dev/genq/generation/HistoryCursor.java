package dev.genq.generation;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Keyset position in an account's history; opaque to clients as URL-safe base64. */
public record HistoryCursor(Instant createdAt, UUID id) {
    /** Before everything: the first page starts here. */
    public static final HistoryCursor START = new HistoryCursor(Instant.parse("9999-12-31T23:59:59Z"), new UUID(-1L, -1L));

    public static HistoryCursor after(GenerationView last) {
        return new HistoryCursor(last.createdAt(), last.id());
    }

    /**
     * One page of rows read with one row more than {@code limit} (so the last page is known as the
     * last): at most {@code limit} rows, and the cursor after them, or null when no row follows.
     */
    public record Page<T>(List<T> rows, String nextCursor) {
        public static <T> Page<T> of(List<T> readOneMore, int limit, Function<T, HistoryCursor> cursorOf) {
            if (readOneMore.size() <= limit) {
                return new Page<>(readOneMore, null);
            }
            List<T> rows = readOneMore.subList(0, limit);
            return new Page<>(rows, cursorOf.apply(rows.getLast()).encode());
        }
    }

    public String encode() {
        String raw = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static HistoryCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return START;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new HistoryCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "cursor is not one this API gave out");
        }
    }
}
