package dev.genq.payment;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface PaymentRepository extends GenericRepository<Payment, String> {

    @Query("""
        INSERT INTO payment (provider, payment_id, account_id, status, status_rank) VALUES (:provider, :paymentId, :accountId, 'new', -1)
        ON CONFLICT DO NOTHING""")
    int insertIfAbsent(String provider, String paymentId, UUID accountId);

    /** Locks the payment's row, so concurrent events about one payment apply one after another. */
    @Query("SELECT * FROM payment WHERE provider = :provider AND payment_id = :paymentId FOR UPDATE")
    Optional<Payment> lock(String provider, String paymentId);

    @Query("""
        UPDATE payment SET status = :status, status_rank = :rank, credited_coins = credited_coins + :creditedCoins, updated_at = now()
        WHERE provider = :provider AND payment_id = :paymentId AND status_rank < :rank""")
    int advance(String provider, String paymentId, String status, int rank, long creditedCoins);
}
