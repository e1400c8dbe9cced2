package dev.genq.account;

import dev.genq.infra.Crypto;
import java.security.SecureRandom;
import java.util.Base64;

/** Making and digesting API keys. Keys carry 192 random bits, so a plain SHA-256 is enough. */
public final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "gq_";

    private ApiKeys() {
    }

    public static String newKey() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String digest(String key) {
        return Crypto.sha256Hex(key);
    }

    /** What may be shown about a key after creation. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
    }
}
