package dev.genq.account;

import dev.genq.infra.Crypto;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Making and digesting secret keys, account (gq_) and admin (gqa_) alike. Keys carry 192 random
 * bits, so a plain SHA-256 is enough; the prefix tells the two apart before any lookup.
 */
public final class KeySecrets {
    public static final String ACCOUNT_PREFIX = "gq_";
    public static final String ADMIN_PREFIX = "gqa_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeySecrets() {
    }

    public static String newKey(String prefix) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String digest(String key) {
        return Crypto.sha256Hex(key);
    }

    /** What may be shown about a key after creation. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), key.indexOf('_') + 7));
    }
}
