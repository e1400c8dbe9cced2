package dev.genq.api.auth;

import dev.genq.account.AccountKeys;
import dev.genq.account.KeySecrets;
import dev.genq.account.Scope;
import dev.genq.api.activity.SignIns;
import dev.genq.api.limits.LimitsConfig;
import dev.genq.api.limits.RateLimits;
import dev.genq.error.ErrorCode;
import dev.genq.http.ErrorBody;
import dev.genq.staff.AdminKeys;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling and whether they may: /v1 takes an account key or a browser token made from one
 * and checks the route's {@link Scoped scope}; /admin takes a person's admin key (or the configured
 * bootstrap key) and checks the route's {@link AdminAccess role}. A route that declares neither is
 * refused: access is granted by a declaration, never by its absence.
 */
@ServerFilter({"/v1/**", "/admin/**"})
class Authentication {
    static final String BOOTSTRAP_PERSON = "bootstrap";
    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
    private final AccountKeys accountKeys;
    private final AdminKeys adminKeys;
    private final AdminConfig admin;
    private final BrowserTokens tokens;
    private final RateLimits limits;
    private final SignIns signIns;
    private final int keyPerSecond;
    private final int accountPerSecond;

    Authentication(AccountKeys accountKeys, AdminKeys adminKeys, AdminConfig admin, BrowserTokens tokens, RateLimits limits,
                   LimitsConfig limitsConfig, SignIns signIns) {
        this.signIns = signIns;
        this.accountKeys = accountKeys;
        this.adminKeys = adminKeys;
        this.admin = admin;
        this.tokens = tokens;
        this.limits = limits;
        this.keyPerSecond = limitsConfig.getKeyRequestsPerSecond();
        this.accountPerSecond = limitsConfig.getAccountRequestsPerSecond();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    MutableHttpResponse<ErrorBody> authenticate(HttpRequest<?> request) {
        Optional<RouteMatch<?>> route = RouteAttributes.getRouteMatch(request);
        AnnotationMetadata rules = route.map(r -> (AnnotationMetadata) r.getAnnotationMetadata()).orElse(AnnotationMetadata.EMPTY_METADATA);
        Optional<String> bearer = request.getHeaders().getAuthorization()
            .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(h -> h.substring(7).trim());
        if (request.getPath().startsWith("/admin/")) {
            return bearer.isEmpty() ? deny(ErrorCode.UNAUTHORIZED, "send your admin key as 'Authorization: Bearer <key>'")
                : admin(request, bearer.get(), rules, route.isPresent());
        }
        Optional<String> queried = rules.booleanValue(Scoped.class, "tokenInQuery").orElse(false) && bearer.isEmpty()
            ? request.getParameters().getFirst("access_token") : Optional.empty();
        if (bearer.isEmpty() && queried.isEmpty()) {
            return deny(ErrorCode.UNAUTHORIZED, "send your API key as 'Authorization: Bearer <key>'");
        }
        if (queried.isPresent() && queried.get().startsWith(KeySecrets.ACCOUNT_PREFIX)) {
            return deny(ErrorCode.UNAUTHORIZED, "an API key never goes in a URL; make a browser token (POST /v1/tokens) for it");
        }
        Optional<Caller> caller = caller(bearer.orElseGet(queried::get), request);
        if (caller.isEmpty()) {
            return deny(ErrorCode.UNAUTHORIZED, "unknown, expired or revoked API key or token");
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        signIns.noticed(caller.get().accountId(), caller.get().keyId(), caller.get().browser(), request);
        if (route.isEmpty()) {
            return null; // no such route: the router answers 404 or 405, to an authenticated caller only
        }
        Optional<Scope> needed = rules.enumValue(Scoped.class, Scope.class);
        if (needed.isEmpty()) {
            LOG.error("route {} declares no @Scoped; refused until it does", request.getPath());
            return deny(ErrorCode.FORBIDDEN, "this route is not open to account keys");
        }
        if (caller.get().browser() && !rules.booleanValue(Scoped.class, "browserTokens").orElse(true)) {
            return deny(ErrorCode.INSUFFICIENT_SCOPE, "a browser token cannot do this; use the API key from your backend");
        }
        if (!caller.get().scopes().contains(needed.get())) {
            return deny(ErrorCode.INSUFFICIENT_SCOPE, "this needs the '" + needed.get().wire() + "' scope, which your "
                + (caller.get().browser() ? "token" : "key") + " lacks");
        }
        return limited(caller.get());
    }

    /** Counts the request against its key's and its account's rate; 429 with Retry-After when either is spent. */
    @Nullable
    private MutableHttpResponse<ErrorBody> limited(Caller caller) {
        Optional<Duration> wait = limits.take("key:" + caller.keyId(), keyPerSecond)
            .or(() -> limits.take("account:" + caller.accountId(), accountPerSecond));
        if (wait.isEmpty()) {
            return null;
        }
        return deny(ErrorCode.RATE_LIMITED, "too many requests: this key may make " + keyPerSecond + " a second and its account "
            + accountPerSecond + "; retry after the Retry-After header's seconds")
            .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, (wait.get().toMillis() + 999) / 1000)));
    }

    private Optional<Caller> caller(String presented, HttpRequest<?> request) {
        if (presented.startsWith(KeySecrets.ACCOUNT_PREFIX)) {
            return accountKeys.authenticate(presented)
                .map(h -> new Caller(h.account().id(), h.account(), h.keyId(), h.scopes(), false));
        }
        return tokens.verify(presented, request).flatMap(claims -> accountKeys.byId(claims.keyId())
            .filter(h -> h.account().id().equals(claims.accountId()))
            .map(h -> {
                Set<Scope> scopes = EnumSet.copyOf(claims.scopes());
                scopes.retainAll(h.scopes()); // a key narrowed since stays narrow in its tokens
                return new Caller(h.account().id(), h.account(), h.keyId(), scopes, true);
            }));
    }

    @Nullable
    private MutableHttpResponse<ErrorBody> admin(HttpRequest<?> request, String presented, AnnotationMetadata rules, boolean routed) {
        Optional<AdminKeys.Admin> person = bootstrap(presented) ? Optional.of(new AdminKeys.Admin(null, BOOTSTRAP_PERSON, AdminRole.ADMIN))
            : presented.startsWith(KeySecrets.ADMIN_PREFIX) ? adminKeys.authenticate(presented) : Optional.empty();
        if (person.isEmpty()) {
            return deny(ErrorCode.UNAUTHORIZED, "the admin API needs a person's admin key");
        }
        request.setAttribute(AdminCaller.ATTRIBUTE, new AdminCaller(person.get()));
        if (!routed) {
            return null;
        }
        Optional<AdminRole> needed = rules.enumValue(AdminAccess.class, AdminRole.class);
        if (needed.isEmpty()) {
            LOG.error("route {} declares no @AdminAccess; refused until it does", request.getPath());
            return deny(ErrorCode.FORBIDDEN, "this route is not open to admin keys");
        }
        if (!person.get().role().includes(needed.get())) {
            return deny(ErrorCode.FORBIDDEN, "this needs the " + needed.get().wire() + " role; your key has " + person.get().role().wire());
        }
        return null;
    }

    private boolean bootstrap(String presented) {
        return admin.getApiKey() != null && !admin.getApiKey().isBlank()
            && MessageDigest.isEqual(admin.getApiKey().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static MutableHttpResponse<ErrorBody> deny(ErrorCode code, String message) {
        return HttpResponse.<ErrorBody>status(HttpStatus.valueOf(code.httpStatus())).body(ErrorBody.of(code, message));
    }
}
