package dev.genq.account;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface AccountStateChangeRepository extends GenericRepository<AccountStateChange, Long> {

    @Query("SELECT * FROM account_state_change WHERE account_id = :accountId ORDER BY at DESC, id DESC LIMIT 200")
    List<AccountStateChange> ofAccount(UUID accountId);
}
