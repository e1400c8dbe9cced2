package dev.genq.api.auth;

import dev.genq.account.Account;
import dev.genq.account.AccountService;
import dev.genq.error.ErrorCode;
import dev.genq.http.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Authenticates /v1 with account API keys and /admin with the admin key, as Bearer tokens. */
@ServerFilter({"/v1/**", "/admin/**"})
class Authentication {
    private final AccountService accounts;
    private final AdminConfig admin;

    Authentication(AccountService accounts, AdminConfig admin) {
        this.accounts = accounts;
        this.admin = admin;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    MutableHttpResponse<ErrorBody> authenticate(HttpRequest<?> request) {
        Optional<String> token = request.getHeaders().getAuthorization()
            .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(h -> h.substring(7).trim());
        if (token.isEmpty()) {
            return deny(ErrorCode.UNAUTHORIZED, "send your API key as 'Authorization: Bearer <key>'");
        }
        if (request.getPath().startsWith("/admin/")) {
            if (admin.getApiKey() == null || !constantTimeEquals(admin.getApiKey(), token.get())) {
                return deny(ErrorCode.UNAUTHORIZED, "the admin API needs the admin key");
            }
            return null;
        }
        Optional<Account> account = accounts.authenticate(token.get());
        if (account.isEmpty()) {
            return deny(ErrorCode.UNAUTHORIZED, "unknown or revoked API key");
        }
        request.setAttribute(Caller.ATTRIBUTE, new Caller(account.get().id(), account.get()));
        return null;
    }

    private static boolean constantTimeEquals(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static MutableHttpResponse<ErrorBody> deny(ErrorCode code, String message) {
        return HttpResponse.<ErrorBody>status(HttpStatus.valueOf(code.httpStatus())).body(ErrorBody.of(code, message));
    }
}
