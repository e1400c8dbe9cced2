package dev.genq.account;

import dev.genq.ledger.Ledger;
import dev.genq.ledger.TransferReason;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Opens accounts (with their wallet and a first key) and resolves API keys to accounts. */
@Singleton
public class AccountService {
    /** Long enough to keep key lookups off hot paths, short enough that a revocation lands soon. */
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
    public Opened open(String name, long initialCoins) {
        return open(name, initialCoins, ApiKeys.newKey());
    }

    /** Opens an account whose first key is chosen by the operator (the local demo account's). */
    @Transactional
    public Opened open(String name, long initialCoins, String apiKey) {
        Account account = accounts.save(new Account(UUID.randomUUID(), name, null));
        ledger.openWallet(account.id());
        if (initialCoins > 0) {
            ledger.credit(UUID.randomUUID(), account.id(), initialCoins, TransferReason.ADMIN_CREDIT);
        }
        keys.save(new ApiKey(UUID.randomUUID(), account.id(), ApiKeys.digest(apiKey), ApiKeys.displayPrefix(apiKey), null, null));
        return new Opened(account, apiKey);
    }

    public Optional<Account> find(UUID accountId) {
        return accounts.findById(accountId);
    }

    /** The account a presented key belongs to, if the key is active. */
    public Optional<UUID> authenticate(String presentedKey) {
        String digest = ApiKeys.digest(presentedKey);
        long now = System.nanoTime();
        CachedKey cached = keyCache.get(digest);
        if (cached != null && now - cached.loadedAtNanos() < KEY_CACHE_TTL.toNanos()) {
            return Optional.of(cached.accountId());
        }
        Optional<UUID> accountId = keys.findActiveAccountId(digest);
        accountId.ifPresentOrElse(id -> keyCache.put(digest, new CachedKey(id, now)), () -> keyCache.remove(digest));
        return accountId;
    }

    private record CachedKey(UUID accountId, long loadedAtNanos) {
    }
}
