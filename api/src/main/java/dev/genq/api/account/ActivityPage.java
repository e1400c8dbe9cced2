package dev.genq.api.account;

import dev.genq.activity.Activity;
import dev.genq.activity.ActivityLog;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** A page of the activity log, newest first; pass nextCursor as cursor for older rows. */
@Serdeable
public record ActivityPage(List<Activity> data, @Nullable String nextCursor) {

    /** Rows in [from, to) (default: the last year), {@code limit} (default 50, at most 500) at a time. */
    public static ActivityPage of(ActivityLog log, @Nullable UUID accountId, @Nullable String from, @Nullable String to,
                                  @Nullable String cursor, @Nullable Integer limit) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 500) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and 500");
        }
        Long before;
        try {
            before = cursor == null ? null : Long.valueOf(cursor);
        } catch (NumberFormatException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'cursor' must be a nextCursor this API gave");
        }
        Instant now = Instant.now();
        List<Activity> rows = log.list(accountId, instant(from, now.minus(Duration.ofDays(366)), "from"),
            instant(to, now.plusSeconds(1), "to"), before, size + 1);
        return rows.size() > size ? new ActivityPage(rows.subList(0, size), String.valueOf(rows.get(size - 1).id()))
            : new ActivityPage(rows, null);
    }

    private static Instant instant(@Nullable String text, Instant otherwise, String what) {
        try {
            return text == null ? otherwise : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + what + "' must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}
