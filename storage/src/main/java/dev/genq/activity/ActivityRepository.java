package dev.genq.activity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ActivityRepository extends GenericRepository<Activity, Long> {

    Activity save(Activity activity);

    /** Newest first, below the cursor id; an account's rows by its index, or everyone's by time. */
    @Query("""
        SELECT * FROM activity
        WHERE (CAST(:accountId AS uuid) IS NULL OR account_id = :accountId) AND at >= :from AND at < :to AND id < :beforeId
        ORDER BY at DESC, id DESC LIMIT :limit""")
    List<Activity> page(@Nullable UUID accountId, Instant from, Instant to, long beforeId, int limit);

    @Query("DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE at < :before ORDER BY at LIMIT :limit)")
    int purge(Instant before, int limit);

    @Query("UPDATE activity SET ip = NULL, user_agent = NULL WHERE account_id = :accountId AND (ip IS NOT NULL OR user_agent IS NOT NULL)")
    int anonymise(UUID accountId);
}
