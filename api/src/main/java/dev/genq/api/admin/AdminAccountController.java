package dev.genq.api.admin;

import dev.genq.account.AccountService;
import dev.genq.api.wallet.WalletResponse;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.TransferReason;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.UUID;

@Controller("/admin/v1/accounts")
@Requires(env = "api")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminAccountController {
    private final AccountService accounts;
    private final Ledger ledger;

    AdminAccountController(AccountService accounts, Ledger ledger) {
        this.accounts = accounts;
        this.ledger = ledger;
    }

    @Serdeable
    record OpenRequest(@Nullable String name, @Nullable Long initialCoins) {
    }

    /** The API key appears here once and is never retrievable again. */
    @Serdeable
    record OpenResponse(UUID id, String name, String apiKey, WalletResponse wallet) {
    }

    @Serdeable
    record CreditRequest(@Nullable Long amountCoins) {
    }

    @Post
    HttpResponse<OpenResponse> open(@Body OpenRequest body) {
        if (body.name() == null || body.name().isBlank()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'name' is required");
        }
        long coins = body.initialCoins() == null ? 0 : body.initialCoins();
        if (coins < 0) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'initialCoins' must not be negative");
        }
        AccountService.Opened opened = accounts.open(body.name(), coins);
        return HttpResponse.created(new OpenResponse(opened.account().id(), opened.account().name(), opened.apiKey(),
            WalletResponse.of(ledger.wallet(opened.account().id()).orElseThrow())));
    }

    @Post("/{id}/credits")
    WalletResponse credit(@PathVariable UUID id, @Body CreditRequest body) {
        if (body.amountCoins() == null || body.amountCoins() <= 0) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'amountCoins' must be a positive number of coins");
        }
        accounts.find(id).orElseThrow(() -> GenqException.notFound("account " + id));
        ledger.credit(UUID.randomUUID(), id, body.amountCoins(), TransferReason.ADMIN_CREDIT);
        return WalletResponse.of(ledger.wallet(id).orElseThrow());
    }
}
