package dev.genq.api.admin;

import dev.genq.account.Account;
import dev.genq.account.AccountService;
import dev.genq.account.AccountStateChange;
import dev.genq.account.AccountStates;
import dev.genq.account.Chargebacks;
import dev.genq.api.account.AccountFields;
import dev.genq.api.activity.RequestSources;
import dev.genq.api.auth.AdminAccess;
import dev.genq.api.auth.AdminCaller;
import dev.genq.api.idempotency.IdempotentRequests;
import dev.genq.api.wallet.WalletResponse;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.HistoryCursor;
import dev.genq.http.ErrorResponses;
import dev.genq.ledger.Coins;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerResult;
import dev.genq.ledger.Transfer;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Accounts for operators: open, rectify, adjust with a reason, read the ledger, suspend, unblock and charge back. */
@ErrorResponses
@Controller("/admin/v1/accounts")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminAccountController {
    private static final String SCOPE = "admin";
    private final AccountService accounts;
    private final Chargebacks chargebacks;
    private final Ledger ledger;
    private final IdempotentRequests idempotent;
    private final AccountStates states;
    private final RequestSources sources;

    AdminAccountController(AccountService accounts, Chargebacks chargebacks, Ledger ledger, IdempotentRequests idempotent,
                           AccountStates states, RequestSources sources) {
        this.states = states;
        this.sources = sources;
        this.accounts = accounts;
        this.chargebacks = chargebacks;
        this.ledger = ledger;
        this.idempotent = idempotent;
    }

    @Serdeable
    record OpenRequest(@Nullable String name, @Nullable Long initialCoins) {
    }

    /** The API key appears here once and is never retrievable again. */
    @Serdeable
    record OpenResponse(UUID id, String name, String apiKey, WalletResponse wallet) {
    }

    @Serdeable
    record AccountResponse(UUID id, String name, @Nullable String email, @Nullable String phone, String state,
                           @Nullable String stateReason, @Nullable Instant stateChangedAt, Instant createdAt, @Nullable Instant closedAt,
                           WalletResponse wallet) {
    }

    /** {@code queued}: "keep" (default) lets queued generations run; "cancel" cancels and refunds them. */
    @Serdeable
    record SuspendRequest(@Nullable String reason, @Nullable String queued) {
    }

    @Serdeable
    record ReasonRequest(@Nullable String reason) {
    }

    @Serdeable
    record StateResponse(String state, int generationsCancelled) {
    }

    @Serdeable
    record StateHistory(List<AccountStateChange> data) {
    }

    @Serdeable
    record AdjustRequest(@Nullable Long amountCoins, @Nullable String reason) {
    }

    @Serdeable
    record AdjustResponse(UUID transferId, WalletResponse wallet) {
    }

    @Serdeable
    record ChargebackRequest(@Nullable String disputeId, @Nullable String reason) {
    }

    @Serdeable
    record LedgerPage(List<Transfer> data, @Nullable String nextCursor) {
    }

    @ApiResponse(responseCode = "201", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OpenResponse.class)))
    @Post
    @AdminAccess(AdminRole.ADMIN)
    HttpResponse<String> open(@Nullable @Header("Idempotency-Key") String idempotencyKey,
                              @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin, @Body OpenRequest body) {
        String name = Fields.require(body.name(), "name");
        long coins = Coins.require(body.initialCoins() == null ? 0 : body.initialCoins(), "initialCoins");
        String who = admin.person();
        return idempotent.respond(SCOPE, idempotencyKey, "POST /admin/v1/accounts", body, () -> {
            AccountService.Opened opened = accounts.open(name, coins, who);
            return new IdempotentRequests.Result(201, new OpenResponse(opened.account().id(), opened.account().name(),
                opened.apiKey(), wallet(opened.account().id())));
        });
    }

    @Get("/{id}")
    @AdminAccess(AdminRole.SUPPORT)
    AccountResponse get(@PathVariable UUID id) {
        return view(accounts.get(id));
    }

    /** Rectifies the account's name and contact fields for its owner. */
    @Patch("/{id}")
    @AdminAccess(AdminRole.SUPPORT)
    AccountResponse rectify(@PathVariable UUID id, @Body AccountFields body) {
        Account current = accounts.get(id);
        return view(body.applyTo(current, accounts));
    }

    /** Stops new paid work, keeping the balance; queued generations stay unless queued is "cancel". */
    @Post("/{id}/suspend")
    @AdminAccess(AdminRole.SUPPORT)
    StateResponse suspend(HttpRequest<?> request, @PathVariable UUID id, @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin,
                          @Body SuspendRequest body) {
        String reason = Fields.require(body.reason(), "reason");
        String queued = body.queued() == null ? "keep" : body.queued();
        if (!queued.equals("keep") && !queued.equals("cancel")) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'queued' must be keep or cancel");
        }
        AccountStates.Suspended done = states.suspend(id, reason, queued.equals("cancel"), admin.person(), sources.of(request));
        return new StateResponse(done.state().wire(), done.generationsCancelled());
    }

    /** Lifts a suspension or a chargeback's block (forfeited coins stay forfeited). */
    @Post("/{id}/unblock")
    @AdminAccess(AdminRole.FINANCE)
    StateResponse unblock(HttpRequest<?> request, @PathVariable UUID id, @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin,
                          @Body ReasonRequest body) {
        return new StateResponse(states.unblock(id, Fields.require(body.reason(), "reason"), admin.person(), sources.of(request)).wire(), 0);
    }

    /** Every change of the account's state, newest first, with who and why. */
    @Get("/{id}/states")
    @AdminAccess(AdminRole.SUPPORT)
    StateHistory states(@PathVariable UUID id) {
        accounts.get(id);
        return new StateHistory(states.history(id));
    }

    /** Credits (positive) or debits (negative) coins by hand; needs a reason and the actor header. */
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdjustResponse.class)))
    @Post("/{id}/adjustments")
    @AdminAccess(AdminRole.FINANCE)
    HttpResponse<String> adjust(@PathVariable UUID id, @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin, @Body AdjustRequest body) {
        String who = admin.person();
        String reason = Fields.require(body.reason(), "reason");
        if (body.amountCoins() == null || body.amountCoins() == 0 || body.amountCoins() < -Coins.MAX || body.amountCoins() > Coins.MAX) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'amountCoins' must be a non-zero number of coins between -" + Coins.MAX
                + " and " + Coins.MAX + " (negative debits)");
        }
        accounts.get(id);
        return idempotent.respond(SCOPE, idempotencyKey, "POST /admin/v1/accounts/" + id + "/adjustments", body, () -> {
            UUID transferId = UUID.randomUUID();
            LedgerResult result = ledger.adjust(transferId, id, body.amountCoins(), reason, who);
            if (result == LedgerResult.INSUFFICIENT_FUNDS) {
                throw new GenqException(ErrorCode.INSUFFICIENT_FUNDS, "the wallet has " + wallet(id).balanceCoins()
                    + " coins available, less than the debit of " + -body.amountCoins());
            }
            return new IdempotentRequests.Result(200, new AdjustResponse(transferId, wallet(id)));
        });
    }

    /** The account's transfers, newest first; pass nextCursor as cursor for older ones. */
    @Get("/{id}/ledger")
    @AdminAccess(AdminRole.SUPPORT)
    LedgerPage ledger(@PathVariable UUID id, @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        accounts.get(id);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 500) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and 500");
        }
        HistoryCursor from = HistoryCursor.decode(cursor);
        HistoryCursor.Page<Transfer> page = HistoryCursor.Page.of(ledger.transfers(id, from.createdAt(), from.id(), size + 1), size,
            t -> new HistoryCursor(t.createdAt(), t.id()));
        return new LedgerPage(page.rows(), page.nextCursor());
    }

    /** Blocks the account, cancels and refunds its queued generations, and forfeits its balance. */
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Chargebacks.Outcome.class)))
    @Post("/{id}/chargeback")
    @AdminAccess(AdminRole.FINANCE)
    HttpResponse<String> chargeback(HttpRequest<?> request, @PathVariable UUID id, @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                    @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin, @Body ChargebackRequest body) {
        String who = admin.person();
        String disputeId = Fields.require(body.disputeId(), "disputeId");
        String reason = Fields.require(body.reason(), "reason");
        accounts.get(id);
        return idempotent.respond(SCOPE, idempotencyKey, "POST /admin/v1/accounts/" + id + "/chargeback", body,
            () -> new IdempotentRequests.Result(200, chargebacks.apply(id, disputeId, reason, who, sources.of(request))));
    }

    private AccountResponse view(Account a) {
        return new AccountResponse(a.id(), a.name(), a.email(), a.phone(), a.state(), a.stateReason(), a.stateChangedAt(), a.createdAt(),
            a.closedAt(), wallet(a.id()));
    }

    private WalletResponse wallet(UUID id) {
        return WalletResponse.of(ledger.wallet(id).orElseThrow(() -> GenqException.notFound("wallet of account " + id)));
    }
}
