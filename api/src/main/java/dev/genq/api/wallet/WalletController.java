package dev.genq.api.wallet;

import dev.genq.account.Scope;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.HistoryCursor;
import dev.genq.http.ErrorResponses;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.Statement;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

@ErrorResponses
@Controller("/v1/wallet")
@ExecuteOn(TaskExecutors.BLOCKING)
class WalletController {
    private static final int MAX_PAGE = 200;
    private final Ledger ledger;
    private final Statement statement;

    WalletController(Ledger ledger, Statement statement) {
        this.ledger = ledger;
        this.statement = statement;
    }

    @Get
    @Scoped(Scope.READ)
    WalletResponse wallet(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return ledger.wallet(caller.accountId()).map(WalletResponse::of)
            .orElseThrow(() -> GenqException.notFound("wallet"));
    }

    /**
     * The wallet's transactions, newest first: top-ups, adjustments, each generation's hold and its
     * charge, fee or refund, forfeits. Pass {@code nextCursor} as {@code cursor} for older ones.
     */
    @Get("/transactions")
    @Scoped(Scope.READ)
    TransactionPage transactions(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Nullable @QueryValue String cursor,
                                 @Nullable @QueryValue Integer limit) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and " + MAX_PAGE);
        }
        HistoryCursor from = HistoryCursor.decode(cursor);
        HistoryCursor.Page<Statement.Line> page = HistoryCursor.Page.of(
            statement.page(caller.accountId(), from.createdAt(), from.id(), size + 1), size, l -> new HistoryCursor(l.createdAt(), l.id()));
        return new TransactionPage(page.rows(), page.nextCursor());
    }

    /** One page of the statement; {@code nextCursor} is null on the last. */
    @Serdeable
    record TransactionPage(List<Statement.Line> data, @Nullable String nextCursor) {
    }
}
