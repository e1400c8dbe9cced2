package dev.genq.payment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface PaymentRepository extends GenericRepository<Payment, String> {

    @Query("SELECT nextval('payment_number')")
    long nextNumber();

    @Query("""
        INSERT INTO payment (provider, payment_id, account_id, status, status_rank, id, number, amount, currency, coins_per_unit, coins,
                             return_url, payment_url, key_id)
        VALUES (:provider, :paymentId, :accountId, 'created', -1, :id, :number, :amount, :currency, :coinsPerUnit, :coins,
                :returnUrl, :paymentUrl, :keyId)""")
    void create(String provider, String paymentId, UUID accountId, UUID id, long number, BigDecimal amount, String currency,
                BigDecimal coinsPerUnit, long coins, @Nullable String returnUrl, String paymentUrl, @Nullable UUID keyId);

    /** Locks the payment's row, so concurrent notices about one payment apply one after another. */
    @Query("SELECT * FROM payment WHERE provider = :provider AND payment_id = :paymentId FOR UPDATE")
    Optional<Payment> lock(String provider, String paymentId);

    @Query("SELECT * FROM payment WHERE provider = :provider AND id = :id FOR UPDATE")
    Optional<Payment> lockById(String provider, UUID id);

    @Query("SELECT * FROM payment WHERE provider = :provider AND number = :number FOR UPDATE")
    Optional<Payment> lockByNumber(String provider, long number);

    @Query("SELECT * FROM payment WHERE id = :id")
    Optional<Payment> findByTopupId(UUID id);

    @Query("""
        SELECT * FROM payment WHERE account_id = :accountId AND id IS NOT NULL
        ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<Payment> ofAccount(UUID accountId, int limit);

    @Query("SELECT * FROM payment WHERE review_reason IS NOT NULL ORDER BY updated_at DESC LIMIT :limit")
    List<Payment> flagged(int limit);

    @Query("""
        UPDATE payment SET status = :status, status_rank = :rank, credited_coins = credited_coins + :creditedCoins, state = :state,
               paid_amount = coalesce(:paidAmount, paid_amount), paid_currency = coalesce(:paidCurrency, paid_currency),
               review_reason = coalesce(:reviewReason, review_reason), updated_at = now()
        WHERE provider = :provider AND payment_id = :paymentId AND status_rank < :rank""")
    int advance(String provider, String paymentId, String status, int rank, long creditedCoins, String state,
                @Nullable BigDecimal paidAmount, @Nullable String paidCurrency, @Nullable String reviewReason);

    @Query("""
        INSERT INTO payment_unmatched (provider, payment_ref, status, amount, currency) VALUES (:provider, :ref, :status, :amount, :currency)
        ON CONFLICT (provider, payment_ref) DO UPDATE SET status = excluded.status, received_at = now()""")
    void unmatched(String provider, String ref, String status, @Nullable String amount, @Nullable String currency);

    @Query("UPDATE payment SET return_url = NULL WHERE account_id = :accountId AND return_url IS NOT NULL")
    int forgetPersonal(UUID accountId);
}
