package dev.genq.account;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.ledger.Ledger;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Opens accounts (with their wallet and a first key) and resolves API keys to accounts. */
@Singleton
public class AccountService {
    /**
     * Long enough to keep key lookups off hot paths, short enough that a revocation or a block lands
     * soon on every node. Money never depends on it: the ledger refuses a blocked wallet itself.
     */
    private static final Duration KEY_CACHE_TTL = Duration.ofSeconds(30);

    private final AccountRepository accounts;
    private final ApiKeyRepository keys;
    private final Ledger ledger;
    private final ConcurrentHashMap<String, CachedKey> keyCache = new ConcurrentHashMap<>();

    public AccountService(AccountRepository accounts, ApiKeyRepository keys, Ledger ledger) {
        this.accounts = accounts;
        this.keys = keys;
        this.ledger = ledger;
    }

    /** An account just opened, with the only copy of its first API key. */
    public record Opened(Account account, String apiKey) {
    }

    @Transactional
    public Opened open(String name, long initialCoins, String actor) {
        return open(name, initialCoins, ApiKeys.newKey(), actor);
    }

    /** Opens an account whose first key is chosen by the operator (the local demo account's). */
    @Transactional
    public Opened open(String name, long initialCoins, String apiKey, String actor) {
        Account account = accounts.save(new Account(UUID.randomUUID(), name, null, null, null));
        ledger.openWallet(account.id());
        if (initialCoins > 0) {
            ledger.adjust(UUID.randomUUID(), account.id(), initialCoins, "initial coins", actor);
        }
        keys.save(new ApiKey(UUID.randomUUID(), account.id(), ApiKeys.digest(apiKey), ApiKeys.displayPrefix(apiKey), null, null));
        return new Opened(account, apiKey);
    }

    public Account get(UUID accountId) {
        return accounts.findById(accountId).orElseThrow(() -> GenqException.notFound("account " + accountId));
    }

    /** The account a presented key belongs to, if the key is active. */
    public Optional<Account> authenticate(String presentedKey) {
        String digest = ApiKeys.digest(presentedKey);
        long now = System.nanoTime();
        CachedKey cached = keyCache.get(digest);
        if (cached != null && now - cached.loadedAtNanos() < KEY_CACHE_TTL.toNanos()) {
            return Optional.of(cached.account());
        }
        Optional<Account> account = keys.findAccountOfActiveKey(digest);
        account.ifPresentOrElse(a -> keyCache.put(digest, new CachedKey(a, now)), () -> keyCache.remove(digest));
        return account;
    }

    /** Blocks the account for good (first reason stands); the wallet refuses new reservations in the same transaction. */
    @Transactional
    public void block(UUID accountId, String reason) {
        get(accountId);
        accounts.block(accountId, reason);
        ledger.block(accountId);
        keyCache.values().removeIf(c -> c.account().id().equals(accountId));
    }

    /** Refuses a paid call of a blocked account early; the ledger's own check is the one money relies on. */
    public static void requireActive(Account account) {
        if (account.blocked()) {
            throw new GenqException(ErrorCode.ACCOUNT_BLOCKED, "this account is blocked; contact support");
        }
    }

    private record CachedKey(Account account, long loadedAtNanos) {
    }
}
