package dev.genq.infra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Digests and MACs genq computes; the JDK algorithms they name always exist, so failures are bugs. */
public final class Crypto {
    private Crypto() {
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The MAC of {@code text} under {@code secret}, with a JDK algorithm such as HmacSHA256. */
    public static byte[] hmac(String algorithm, String secret, String text) {
        return hmac(algorithm, secret.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The MAC of {@code data} under a raw {@code key} (secrets that arrive base64-encoded). */
    public static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    /** The hex SHA-1 of a text's UTF-8 bytes; only where a protocol names it (Redis scripts), never for security. */
    public static String sha1Hex(String text) {
        return HexFormat.of().formatHex(digest("SHA-1", text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The hex digest of a text's UTF-8 bytes with a JDK algorithm (MD5, SHA-256, ...), where a gateway's protocol names it. */
    public static String digestHex(String algorithm, String text) {
        return HexFormat.of().formatHex(digest(algorithm, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base64 MD5 of the first {@code length} bytes, as S3's Content-MD5 header wants it. */
    public static String md5Base64(byte[] data, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, 0, length);
            return java.util.Base64.getEncoder().encodeToString(md5.digest());
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

    /** Compares a MAC with a presented base64 string in constant time; a string that is not base64 does not match. */
    public static boolean matchesBase64(byte[] expected, String presentedBase64) {
        try {
            return MessageDigest.isEqual(expected, java.util.Base64.getDecoder().decode(presentedBase64.trim()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
