package dev.genq.infra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Digests and MACs genq computes over text; the JDK algorithms they name always exist, so failures are bugs. */
public final class Crypto {
    private Crypto() {
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MAC of {@code text} under {@code secret}, with a JDK algorithm such as HmacSHA256. */
    public static byte[] hmac(String algorithm, String secret, String text) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares a MAC with a presented hex string in constant time; a string that is not hex does not match. */
    public static boolean matchesHex(byte[] expected, String presentedHex) {
        try {
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(presentedHex.trim().toLowerCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
