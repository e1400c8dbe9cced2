package dev.genq.api.keys;

import dev.genq.account.AccountKeys;
import dev.genq.account.Scope;
import dev.genq.api.activity.Audited;
import dev.genq.api.auth.BrowserTokens;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** An account's own keys and the browser tokens made from them. Only keys (never a browser) manage keys. */
@ErrorResponses
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class KeyController {
    private static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    private final AccountKeys keys;
    private final BrowserTokens tokens;

    KeyController(AccountKeys keys, BrowserTokens tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    @Serdeable
    record CreateRequest(@Nullable String name, @Nullable List<String> scopes) {
    }

    @Serdeable
    record RotateRequest(@Nullable Long overlapSeconds) {
    }

    @Serdeable
    record RotateResponse(KeyView key, KeyView previous) {
    }

    @Serdeable
    record KeyList(List<KeyView> data) {
    }

    @Serdeable
    record TokenRequest(@Nullable List<String> scopes, @Nullable Long ttlSeconds) {
    }

    @Serdeable
    record TokenResponse(String token, Instant expiresAt, List<String> scopes) {
    }

    /** A new key with a name and scopes (read, submit, keys); its secret is in this answer only. */
    @Post("/keys")
    @Audited("key.created")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    @Status(HttpStatus.CREATED)
    HttpResponse<KeyView> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body CreateRequest body) {
        AccountKeys.Created created = keys.create(caller.accountId(), body.name(), Scope.parse(body.scopes()));
        return HttpResponse.created(KeyView.of(created.key(), created.secret()));
    }

    /** Every key of the account, newest first, revoked and expired ones included, with their last use. */
    @Get("/keys")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    KeyList list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return new KeyList(keys.list(caller.accountId()).stream().map(k -> KeyView.of(k, null)).toList());
    }

    @Post("/keys/{id}/revoke")
    @Audited("key.revoked")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    KeyView revoke(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id) {
        return KeyView.of(keys.revoke(caller.accountId(), id), null);
    }

    /** A successor with the same name and scopes; the old key works for overlapSeconds more (default a day). */
    @Post("/keys/{id}/rotate")
    @Audited("key.rotated")
    @Scoped(value = Scope.KEYS, browserTokens = false)
    RotateResponse rotate(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id, @Nullable @Body RotateRequest body) {
        Duration overlap = body == null || body.overlapSeconds() == null ? DEFAULT_OVERLAP : Duration.ofSeconds(body.overlapSeconds());
        AccountKeys.Created created = keys.rotate(caller.accountId(), id, overlap);
        KeyView previous = keys.list(caller.accountId()).stream().filter(k -> k.id().equals(id)).findFirst()
            .map(k -> KeyView.of(k, null)).orElseThrow();
        return new RotateResponse(KeyView.of(created.key(), created.secret()), previous);
    }

    /**
     * A token for one browser: this account, read (default) and at most submit, a few minutes
     * (default 300 s, at most 900). Made by a key only, so the key itself never reaches a browser.
     */
    @Post("/tokens")
    @Audited("token.issued")
    @Scoped(value = Scope.READ, browserTokens = false)
    @Status(HttpStatus.CREATED)
    HttpResponse<TokenResponse> token(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Nullable @Body TokenRequest body) {
        Set<Scope> scopes = body == null || body.scopes() == null ? Set.of(Scope.READ) : Scope.parse(body.scopes());
        Duration ttl = body == null || body.ttlSeconds() == null ? BrowserTokens.DEFAULT_TTL : seconds(body.ttlSeconds());
        BrowserTokens.Issued issued = tokens.issue(new AccountKeys.KeyHolder(caller.keyId(), caller.account(), caller.scopes(), null),
            scopes, ttl);
        return HttpResponse.created(new TokenResponse(issued.token(), issued.expiresAt(), issued.scopes().stream().map(Scope::wire).toList()));
    }

    private static Duration seconds(long value) {
        if (value < 0 || value > BrowserTokens.MAX_TTL.toSeconds()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'ttlSeconds' must be between 10 and " + BrowserTokens.MAX_TTL.toSeconds());
        }
        return Duration.ofSeconds(value);
    }
}
