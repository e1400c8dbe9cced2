package dev.genq.payment;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface UnmatchedPaymentRepository extends GenericRepository<UnmatchedPayment, String> {

    @Query("SELECT * FROM payment_unmatched ORDER BY received_at DESC LIMIT :limit")
    List<UnmatchedPayment> newest(int limit);
}
