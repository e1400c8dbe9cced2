package dev.genq.account;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.TtlCache;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An account's own keys: made with a name and scopes, listed with their last use, revoked, rotated
 * with an overlap; and resolving a presented key (or a token's key id) to who may do what.
 */
@Singleton
public class AccountKeys {
    /** Enough for a fleet of services and their rotations; more is a leak, not a need. */
    public static final int MAX_ACTIVE = 20;
    /** The longest a rotated key may keep working beside its successor. */
    public static final Duration MAX_OVERLAP = Duration.ofDays(7);
    /**
     * Long enough to keep key lookups (and last-use writes) off hot paths, short enough that a
     * revocation or a block lands soon on every node. Money never depends on it: the ledger refuses
     * a blocked wallet itself.
     */
    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final ApiKeyRepository keys;
    private final AccountRepository accounts;
    private final TtlCache<Object, KeyHolder> cache = new TtlCache<>(CACHE_TTL);

    public AccountKeys(ApiKeyRepository keys, AccountRepository accounts) {
        this.keys = keys;
        this.accounts = accounts;
    }

    /** Who holds an active account key: the key, its account and what it may do. */
    public record KeyHolder(UUID keyId, Account account, Set<Scope> scopes, @io.micronaut.core.annotation.Nullable Instant expiresAt) {
    }

    /** A key just made, with the only copy of its secret. */
    public record Created(ApiKey key, String secret) {
    }

    @Transactional
    public Created create(UUID accountId, String name, Set<Scope> scopes) {
        lock(accountId);
        if (keys.countActive(accountId) >= MAX_ACTIVE) {
            throw new GenqException(ErrorCode.LIMIT_REACHED, "an account may hold " + MAX_ACTIVE
                + " active keys; revoke one you no longer use first");
        }
        return insert(accountId, name, scopes);
    }

    public List<ApiKey> list(UUID accountId) {
        return keys.listOfAccount(accountId);
    }

    /** Revokes one of the account's keys; a key of another account is not found, as if it did not exist. */
    @Transactional
    public ApiKey revoke(UUID accountId, UUID keyId) {
        ApiKey key = owned(accountId, keyId);
        keys.revoke(key.id());
        forget(key);
        return owned(accountId, keyId);
    }

    /**
     * Makes a successor with the same name and scopes; the old key keeps working for {@code overlap}
     * (zero ends it now), so the services using it can move over without a failed request.
     */
    @Transactional
    public Created rotate(UUID accountId, UUID keyId, Duration overlap) {
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'overlapSeconds' must be between 0 and " + MAX_OVERLAP.toSeconds());
        }
        lock(accountId);
        ApiKey old = owned(accountId, keyId);
        if (old.revokedAt() != null || (old.expiresAt() != null && !old.expiresAt().isAfter(Instant.now()))) {
            throw new GenqException(ErrorCode.INVALID_STATE, "key " + keyId + " is no longer active; make a new one instead");
        }
        keys.expire(old.id(), Instant.now().plus(overlap));
        forget(old);
        return insert(accountId, old.name(), old.scopeSet());
    }

    /** The holder of a presented account key, if it is active. */
    public Optional<KeyHolder> authenticate(String presentedKey) {
        String digest = KeySecrets.digest(presentedKey);
        return cached(digest, () -> keys.findActiveByHash(digest));
    }

    /** The holder of an active key by its id: a browser token names the key it was made from. */
    public Optional<KeyHolder> byId(UUID keyId) {
        return cached(keyId, () -> keys.findActiveById(keyId));
    }

    /** Revokes every key of the account (it was closed). */
    @Transactional
    public void revokeAll(UUID accountId) {
        keys.revokeAll(accountId);
        forget(accountId);
    }

    /** Drops an account's cached keys (after a block), so this node sees the change at once. */
    public void forget(UUID accountId) {
        cache.removeIf(h -> h.account().id().equals(accountId));
    }

    Created insert(UUID accountId, String name, Set<Scope> scopes) {
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'name' must be 1 to 100 characters");
        }
        String secret = KeySecrets.newKey(KeySecrets.ACCOUNT_PREFIX);
        ApiKey key = keys.save(new ApiKey(UUID.randomUUID(), accountId, name.strip(), Scope.toColumn(scopes), KeySecrets.digest(secret),
            KeySecrets.displayPrefix(secret), null, null, null, null));
        return new Created(keys.findOfAccount(key.id(), accountId).orElseThrow(), secret);
    }

    /** Saves a key whose secret the operator chose (the local demo account's). */
    void insertChosen(UUID accountId, String secret) {
        keys.save(new ApiKey(UUID.randomUUID(), accountId, "first key", Scope.toColumn(Set.of(Scope.values())), KeySecrets.digest(secret),
            KeySecrets.displayPrefix(secret), null, null, null, null));
    }

    private Optional<KeyHolder> cached(Object cacheKey, java.util.function.Supplier<Optional<ApiKey>> load) {
        return cache.get(cacheKey, h -> h.expiresAt() == null || h.expiresAt().isAfter(Instant.now()),
            k -> load.get().flatMap(key -> accounts.findById(key.accountId()).filter(a -> a.accountState() != AccountState.CLOSED).map(a -> {
                keys.touch(key.id()); // last use, to a cache period's precision
                return new KeyHolder(key.id(), a, key.scopeSet(), key.expiresAt());
            })));
    }

    private void forget(ApiKey key) {
        cache.removeIf(h -> h.keyId().equals(key.id()));
    }

    private ApiKey owned(UUID accountId, UUID keyId) {
        return keys.findOfAccount(keyId, accountId).orElseThrow(() -> GenqException.notFound("key " + keyId));
    }

    private void lock(UUID accountId) {
        accounts.findById(accountId).orElseThrow(() -> GenqException.notFound("account " + accountId));
        accounts.lockKeys(accountId);
    }
}
