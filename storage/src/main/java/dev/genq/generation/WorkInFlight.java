package dev.genq.generation;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The generations in flight, grouped as an autoscaler and an operator want them: by status, model
 * and provider account, with the oldest creation time of each group. Each status is read through
 * its partial index (queued: generation_queued; running: generation_running_task), so the cost
 * follows the work in flight, however large the finished history grows.
 */
@Singleton
public class WorkInFlight {
    private final JdbcOperations jdbc;

    WorkInFlight(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** One group: {@code provider} is empty while no route took the generation; {@code atVendor} once its task is recorded. */
    public record Group(GenerationStatus status, String model, String provider, boolean atVendor, long count, Instant oldestCreatedAt) {
    }

    @ReadOnly
    public List<Group> groups() {
        return jdbc.prepareStatement("""
            SELECT 'QUEUED', model, coalesce(provider, ''), false, count(*), min(created_at)
            FROM generation WHERE status = 'QUEUED' GROUP BY 2, 3
            UNION ALL
            SELECT 'RUNNING', model, coalesce(provider, ''), provider_task_id IS NOT NULL, count(*), min(created_at)
            FROM generation WHERE status = 'RUNNING' GROUP BY 2, 3, 4""", statement -> {
            List<Group> groups = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    groups.add(new Group(GenerationStatus.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getLong(5), rs.getTimestamp(6).toInstant()));
                }
            }
            return groups;
        });
    }
}
