package dev.genq.catalog;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface QuoteRepository extends GenericRepository<Quote, UUID> {

    Quote save(Quote quote);

    Optional<Quote> findById(UUID id);
}
