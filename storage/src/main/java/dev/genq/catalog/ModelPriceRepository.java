package dev.genq.catalog;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ModelPriceRepository extends GenericRepository<ModelPrice, String> {

    @Query("SELECT DISTINCT ON (model) * FROM model_price ORDER BY model, version DESC")
    List<ModelPrice> findCurrent();

    /** Appends the next version; a concurrent change makes this fail on the primary key, never overwrite. */
    @Query("""
        INSERT INTO model_price (model, version, coins_per_unit, enabled, changed_by, reason)
        SELECT :model, coalesce(max(version), 0) + 1, :coinsPerUnit, :enabled, :changedBy, :reason
        FROM model_price WHERE model = :model""")
    int append(String model, long coinsPerUnit, boolean enabled, String changedBy, String reason);
}
