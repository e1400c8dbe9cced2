package dev.genq.api.auth;

import dev.genq.account.Account;
import dev.genq.account.AccountService;
import dev.genq.account.Scope;
import java.util.Set;
import java.util.UUID;

/**
 * The authenticated account of a /v1 request, with the key it came through and what it may do;
 * {@code browser} when it came as a browser token made from that key. Controllers take it as a
 * request attribute.
 */
public record Caller(UUID accountId, Account account, UUID keyId, Set<Scope> scopes, boolean browser) {
    public static final String ATTRIBUTE = "genq.caller";

    /** The idempotency-key namespace of this caller: keys of different accounts never collide. */
    public String scope() {
        return "account:" + accountId;
    }

    /** Refuses a paid call early when the account is blocked (the ledger refuses it regardless). */
    public Caller requireActive() {
        AccountService.requireActive(account);
        return this;
    }
}
