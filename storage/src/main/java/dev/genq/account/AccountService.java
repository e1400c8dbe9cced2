package dev.genq.account;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.ledger.Ledger;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.UUID;

/** Opens accounts (with their wallet and a first key, which may do everything) and blocks them. */
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
        Account account = accounts.save(new Account(UUID.randomUUID(), name, null, null, null));
        ledger.openWallet(account.id());
        if (initialCoins > 0) {
            ledger.adjust(UUID.randomUUID(), account.id(), initialCoins, "initial coins", actor);
        }
        return account;
    }

    public Account get(UUID accountId) {
        return accounts.findById(accountId).orElseThrow(() -> GenqException.notFound("account " + accountId));
    }

    /** Blocks the account for good (first reason stands); the wallet refuses new reservations in the same transaction. */
    @Transactional
    public void block(UUID accountId, String reason) {
        get(accountId);
        accounts.block(accountId, reason);
        ledger.block(accountId);
        keys.forget(accountId);
    }

    /** Refuses a paid call of a blocked account early; the ledger's own check is the one money relies on. */
    public static void requireActive(Account account) {
        if (account.blocked()) {
            throw new GenqException(ErrorCode.ACCOUNT_BLOCKED, "this account is blocked; contact support");
        }
    }
}
