package dev.genq.infra;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Multi-row statements on the current transaction's connection, for the hot paths that write a
 * batch at once. Rows go in as array parameters ({@code unnest(?::uuid[], ...)}), so a statement's
 * text is the same for every batch size and PostgreSQL plans it once.
 */
@Singleton
public class BatchSql {
    private final ConnectionOperations<Connection> connections;
    private final JdbcOperations jdbc;

    BatchSql(ConnectionOperations<Connection> connections, JdbcOperations jdbc) {
        this.connections = connections;
        this.jdbc = jdbc;
    }

    /** What a statement does with its prepared form; arrays are made from the same connection. */
    public interface Work<T> {
        T apply(Arrays arrays, PreparedStatement statement) throws SQLException;
    }

    /** Makes SQL arrays for one statement. */
    public record Arrays(Connection connection) {
        public Array of(String sqlType, Collection<?> values) throws SQLException {
            return connection.createArrayOf(sqlType, values.toArray());
        }
    }

    /** Runs one statement inside the caller's transaction; a failure rolls that transaction back. */
    public <T> T run(String sql, Work<T> work) {
        Connection c = connections.getConnectionStatus().getConnection();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            return work.apply(new Arrays(c), s);
        } catch (SQLException e) {
            throw new DataAccessException(e.getMessage(), e);
        }
    }

    /** Executes a query that returns whole rows of an entity ({@code RETURNING *}) and maps them as its repository would. */
    public <E> List<E> entities(PreparedStatement statement, Class<E> type) throws SQLException {
        return rows(statement, rs -> jdbc.readEntity(rs, type));
    }

    /** A row of an entity and a boolean the statement returned beside it. */
    public record Flagged<E>(E entity, boolean flag) {
    }

    /** {@link #entities}, each row with the boolean column {@code flagColumn} beside it (a {@code RETURNING} expression, say). */
    public <E> List<Flagged<E>> flaggedEntities(PreparedStatement statement, Class<E> type, String flagColumn) throws SQLException {
        return rows(statement, rs -> new Flagged<>(jdbc.readEntity(rs, type), rs.getBoolean(flagColumn)));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> rows(PreparedStatement statement, Row<T> row) throws SQLException {
        List<T> found = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                found.add(row.read(rs));
            }
        }
        return found;
    }

    /**
     * Executes a statement in the caller's transaction and returns the rows it changed. Each parameter
     * is bound by its type: an instant as a timestamp, a collection as a {@code uuid[]}, anything
     * else as itself.
     */
    public int update(String sql, Object... params) {
        return run(sql, (a, s) -> bind(a, s, params).executeUpdate());
    }

    /** The first column (a uuid) of a query's rows, run in the caller's transaction; parameters as {@link #update}. */
    public Set<UUID> uuids(String sql, Object... params) {
        return run(sql, (a, s) -> uuidsOf(bind(a, s, params)));
    }

    private static PreparedStatement bind(Arrays arrays, PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            switch (params[i]) {
                case Instant at -> statement.setTimestamp(i + 1, Timestamp.from(at));
                case Collection<?> ids -> statement.setArray(i + 1, arrays.of("uuid", ids));
                default -> statement.setObject(i + 1, params[i]);
            }
        }
        return statement;
    }

    /** A nullable instant as an element of a {@code timestamptz[]} parameter. */
    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /** Executes a query whose first column is a uuid (a RETURNING id, say) and collects it. */
    public static Set<UUID> uuidsOf(PreparedStatement statement) throws SQLException {
        Set<UUID> found = new HashSet<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getObject(1, UUID.class));
            }
        }
        return found;
    }
}
