package dev.genq.activity;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Writes and reads the activity log. A write joins the caller's transaction, so an event is kept exactly when its effect is. */
@Singleton
public class ActivityLog {
    private static final int MAX_DETAIL = 1000;
    private static final int MAX_AGENT = 400;
    private final ActivityRepository rows;

    ActivityLog(ActivityRepository rows) {
        this.rows = rows;
    }

    public void record(@Nullable UUID accountId, String actor, String kind, @Nullable String detail, Source source) {
        rows.save(new Activity(null, null, accountId, actor, kind, clip(detail, MAX_DETAIL), clip(source.ip(), 64),
            clip(source.userAgent(), MAX_AGENT)));
    }

    /** Newest first within [from, to); {@code beforeId} is the last id of the previous page (or none). */
    public List<Activity> list(@Nullable UUID accountId, Instant from, Instant to, @Nullable Long beforeId, int limit) {
        return rows.page(accountId, from, to, beforeId == null ? Long.MAX_VALUE : beforeId, limit);
    }

    /** Deletes up to {@code limit} rows older than {@code before}; returns how many. */
    public int purge(Instant before, int limit) {
        return rows.purge(before, limit);
    }

    /** Blanks the source addresses and user agents of an erased account's rows. */
    public int anonymise(UUID accountId) {
        return rows.anonymise(accountId);
    }

    @Nullable
    private static String clip(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
