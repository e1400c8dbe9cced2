package dev.genq.api.admin;

import dev.genq.account.AccountService;
import dev.genq.activity.ActivityLog;
import dev.genq.api.account.ActivityPage;
import dev.genq.api.account.ArchiveResponses;
import dev.genq.api.activity.RequestSources;
import dev.genq.api.auth.AdminAccess;
import dev.genq.api.auth.AdminCaller;
import dev.genq.http.ErrorResponses;
import dev.genq.privacy.Privacy;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.UUID;

/** A person's rights exercised by an operator for them (export, erasure), and the activity log across accounts. */
@ErrorResponses
@Controller("/admin/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminPrivacyController {
    private final AccountService accounts;
    private final Privacy privacy;
    private final ActivityLog activity;
    private final RequestSources sources;

    AdminPrivacyController(AccountService accounts, Privacy privacy, ActivityLog activity, RequestSources sources) {
        this.accounts = accounts;
        this.privacy = privacy;
        this.activity = activity;
        this.sources = sources;
    }

    @Serdeable
    record EraseRequest(@Nullable String reason) {
    }

    @Get(value = "/accounts/{id}/export", produces = "application/zip")
    @AdminAccess(AdminRole.SUPPORT)
    HttpResponse<StreamedFile> export(HttpRequest<?> request, @PathVariable UUID id, @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin) {
        accounts.get(id);
        return ArchiveResponses.export(privacy, id, admin.person(), sources.of(request));
    }

    /** Closes the account for good and erases its personal data, keeping the ledger's amounts. */
    @Post("/accounts/{id}/erase")
    @AdminAccess(AdminRole.ADMIN)
    Privacy.Erased erase(HttpRequest<?> request, @PathVariable UUID id, @RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin,
                         @Body EraseRequest body) {
        accounts.get(id);
        return privacy.erase(id, Fields.require(body.reason(), "reason"), admin.person(), sources.of(request));
    }

    /** The activity log, newest first, of one account or of all. */
    @Get("/activity")
    @AdminAccess(AdminRole.SUPPORT)
    ActivityPage activity(@Nullable @QueryValue UUID account, @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                          @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        return ActivityPage.of(activity, account, from, to, cursor, limit);
    }
}
