package dev.genq.api.account;

import dev.genq.account.Account;
import dev.genq.account.AccountService;
import dev.genq.account.Scope;
import dev.genq.activity.ActivityLog;
import dev.genq.api.activity.RequestSources;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.privacy.Privacy;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** The caller's own account: read and rectify it, read its activity, export everything, erase it. */
@ErrorResponses
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class AccountController {
    private final AccountService accounts;
    private final ActivityLog activity;
    private final Privacy privacy;
    private final RequestSources sources;

    AccountController(AccountService accounts, ActivityLog activity, Privacy privacy, RequestSources sources) {
        this.accounts = accounts;
        this.activity = activity;
        this.privacy = privacy;
        this.sources = sources;
    }

    @Serdeable
    record AccountView(java.util.UUID id, String name, @Nullable String email, @Nullable String phone, String state,
                       @Nullable String stateReason, Instant createdAt) {
        static AccountView of(Account a) {
            return new AccountView(a.id(), a.name(), a.email(), a.phone(), a.state(), a.stateReason(), a.createdAt());
        }
    }

    /** {@code confirm} must repeat the account id: erasure cannot be undone. */
    @Serdeable
    record EraseRequest(@Nullable String confirm, @Nullable String reason) {
    }

    @Get("/account")
    @Scoped(Scope.READ)
    AccountView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return AccountView.of(accounts.get(caller.accountId()));
    }

    /** Rectifies the name and contact fields (e-mail, phone); an empty e-mail or phone clears it. */
    @Patch("/account")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    AccountView rectify(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body AccountFields body) {
        Account changed = body.applyTo(accounts.get(caller.accountId()), accounts);
        activity.record(caller.accountId(), "key:" + caller.keyId(), "account.rectified", "name or contact fields changed",
            sources.of(request));
        return AccountView.of(changed);
    }

    /** The account's own security-relevant events, newest first. */
    @Get("/activity")
    @Scoped(Scope.READ)
    ActivityPage activity(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Nullable @QueryValue String from,
                          @Nullable @QueryValue String to, @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        return ActivityPage.of(activity, caller.accountId(), from, to, cursor, limit);
    }

    /** Everything genq holds about the account, as one ZIP of JSON-lines files (outputs as download links). */
    @Get(value = "/account/export", produces = "application/zip")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    HttpResponse<StreamedFile> export(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return ArchiveResponses.export(privacy, caller.accountId(), "key:" + caller.keyId(), sources.of(request));
    }

    /**
     * Closes the account for good and erases its personal data: inputs, outputs, contact fields.
     * Billing records stay, anonymous. Every key stops working at once.
     */
    @Post("/account/erase")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    Privacy.Erased erase(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body EraseRequest body) {
        if (!caller.accountId().toString().equals(body.confirm())) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'confirm' must be this account's id: erasure cannot be undone");
        }
        String reason = body.reason() == null || body.reason().isBlank() ? "the owner asked for erasure" : body.reason().strip();
        return privacy.erase(caller.accountId(), reason, "key:" + caller.keyId(), sources.of(request));
    }
}
