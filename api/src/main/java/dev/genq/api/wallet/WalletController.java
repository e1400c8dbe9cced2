package dev.genq.api.wallet;

import dev.genq.api.auth.Caller;
import dev.genq.error.GenqException;
import dev.genq.ledger.Ledger;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

@Controller("/v1/wallet")
@ExecuteOn(TaskExecutors.BLOCKING)
class WalletController {
    private final Ledger ledger;

    WalletController(Ledger ledger) {
        this.ledger = ledger;
    }

    @Get
    WalletResponse wallet(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return ledger.wallet(caller.accountId()).map(WalletResponse::of)
            .orElseThrow(() -> GenqException.notFound("wallet"));
    }
}
