package dev.genq.account;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.ledger.Ledger;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.UUID;

/** Opens accounts (with their wallet and a first key, which may do everything) and keeps their contact fields. */
@Singleton
public class AccountService {
    private final AccountRepository accounts;
    private final AccountKeys keys;
    private final Ledger ledger;

    public AccountService(AccountRepository accounts, AccountKeys keys, Ledger ledger) {
        this.accounts = accounts;
        this.keys = keys;
        this.ledger = ledger;
    }

    /** An account just opened, with the only copy of its first API key. */
    public record Opened(Account account, String apiKey) {
    }

    @Transactional
    public Opened open(String name, long initialCoins, String actor) {
        Account account = create(name, initialCoins, actor);
        return new Opened(account, keys.insert(account.id(), "first key", EnumSet.allOf(Scope.class)).secret());
    }

    /** Opens an account whose first key is chosen by the operator (the local demo account's). */
    @Transactional
    public Opened open(String name, long initialCoins, String apiKey, String actor) {
        Account account = create(name, initialCoins, actor);
        keys.insertChosen(account.id(), apiKey);
        return new Opened(account, apiKey);
    }

    private Account create(String name, long initialCoins, String actor) {
        Account account = accounts.save(new Account(UUID.randomUUID(), name, null, null, AccountState.ACTIVE.wire(), null, null, null, null));
        ledger.openWallet(account.id());
        if (initialCoins > 0) {
            ledger.adjust(UUID.randomUUID(), account.id(), initialCoins, "initial coins", actor);
        }
        return account;
    }

    public Account get(UUID accountId) {
        return accounts.findById(accountId).orElseThrow(() -> GenqException.notFound("account " + accountId));
    }

    /** Rectifies the account's name and contact fields (null email or phone clears it). */
    public Account rectify(UUID accountId, String name, @Nullable String email, @Nullable String phone) {
        if (accounts.rectify(accountId, name, email, phone) == 0) {
            throw get(accountId).accountState() == AccountState.CLOSED
                ? new GenqException(ErrorCode.INVALID_STATE, "a closed account cannot be changed") : GenqException.notFound("account " + accountId);
        }
        keys.forget(accountId);
        return get(accountId);
    }

    /** Refuses a paid call of a blocked account early; the ledger's own check is the one money relies on. */
    public static void requireActive(Account account) {
        switch (account.accountState()) {
            case ACTIVE -> { }
            case SUSPENDED -> throw new GenqException(ErrorCode.ACCOUNT_SUSPENDED, "this account is suspended; contact support");
            default -> throw new GenqException(ErrorCode.ACCOUNT_BLOCKED, "this account is " + account.accountState().wire() + "; contact support");
        }
    }
}
