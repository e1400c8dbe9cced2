package dev.genq.staff;

import dev.genq.account.KeySecrets;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.TtlCache;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Admin keys, one per person: made by an admin, listed, revoked; and a presented key resolved to its person. */
@Singleton
public class AdminKeys {
    /** As for account keys: a revocation lands on every node within this. */
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final AdminKeyRepository keys;
    private final TtlCache<String, Admin> cache = new TtlCache<>(CACHE_TTL);

    public AdminKeys(AdminKeyRepository keys) {
        this.keys = keys;
    }

    /** The person behind an admin key; {@code keyId} is null for the configured bootstrap key. */
    public record Admin(@io.micronaut.core.annotation.Nullable UUID keyId, String person, AdminRole role) {
    }

    /** A key just made, with the only copy of its secret. */
    public record Created(AdminKey key, String secret) {
    }

    public Created create(String person, AdminRole role, String createdBy) {
        if (person == null || person.isBlank() || person.strip().length() > 200) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'person' must name who holds the key, 1 to 200 characters");
        }
        String secret = KeySecrets.newKey(KeySecrets.ADMIN_PREFIX);
        AdminKey key = keys.save(new AdminKey(UUID.randomUUID(), person.strip(), role.wire(), KeySecrets.digest(secret),
            KeySecrets.displayPrefix(secret), null, createdBy, null, null));
        return new Created(keys.findById(key.id()).orElseThrow(), secret);
    }

    public List<AdminKey> list() {
        return keys.listAll();
    }

    public AdminKey revoke(UUID id) {
        keys.findById(id).orElseThrow(() -> GenqException.notFound("admin key " + id));
        keys.revoke(id);
        cache.removeIf(a -> id.equals(a.keyId()));
        return keys.findById(id).orElseThrow();
    }

    public Optional<Admin> authenticate(String presentedKey) {
        return cache.get(KeySecrets.digest(presentedKey), a -> true, digest -> keys.findActiveByHash(digest).map(k -> {
            keys.touch(k.id()); // last use, to a cache period's precision
            return new Admin(k.id(), k.person(), AdminRole.parse(k.role()));
        }));
    }
}
