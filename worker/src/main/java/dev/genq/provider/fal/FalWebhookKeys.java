package dev.genq.provider.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.infra.Crypto;
import dev.genq.infra.JsonTrees;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fal's webhook verification keys, fetched from its JWKS address and kept a day. A signature no
 * cached key accepts triggers one refetch (at most once a minute), so a key rotation is followed
 * without letting forged webhooks make genq hammer the key server.
 */
public final class FalWebhookKeys {
    private static final Logger LOG = LoggerFactory.getLogger(FalWebhookKeys.class);
    private static final ObjectMapper JSON = JsonTrees.MAPPER;
    /** DER prefix that turns a raw 32-byte Ed25519 key into X.509 SubjectPublicKeyInfo. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Duration KEEP = Duration.ofDays(1);
    private static final Duration MIN_REFETCH = Duration.ofMinutes(1);

    private record KeySet(List<PublicKey> keys, Instant fetchedAt) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, KeySet> byUrl = new ConcurrentHashMap<>();
    private final Clock clock;

    public FalWebhookKeys(Clock clock) {
        this.clock = clock;
    }

    boolean verify(String jwksUrl, String requestId, String userId, String timestamp, String body, String signatureHex) {
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(signatureHex.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] message = String.join("\n", requestId, userId, timestamp,
            HexFormat.of().formatHex(Crypto.sha256(body.getBytes(StandardCharsets.UTF_8)))).getBytes(StandardCharsets.UTF_8);
        KeySet cached = byUrl.get(jwksUrl);
        if (cached != null && Duration.between(cached.fetchedAt(), clock.instant()).compareTo(KEEP) < 0
            && anyAccepts(cached.keys(), message, signature)) {
            return true;
        }
        if (cached != null && Duration.between(cached.fetchedAt(), clock.instant()).compareTo(MIN_REFETCH) < 0) {
            return false;
        }
        KeySet fresh = fetch(jwksUrl);
        if (fresh == null) {
            return false;
        }
        byUrl.put(jwksUrl, fresh);
        return anyAccepts(fresh.keys(), message, signature);
    }

    private static boolean anyAccepts(List<PublicKey> keys, byte[] message, byte[] signature) {
        for (PublicKey key : keys) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(message);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature is simply not a match
            }
        }
        return false;
    }

    private KeySet fetch(String jwksUrl) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(jwksUrl)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("fal webhook keys at {} answered {}", jwksUrl, response.statusCode());
                return null;
            }
            List<PublicKey> keys = new ArrayList<>();
            for (JsonNode jwk : JSON.readTree(response.body()).path("keys")) {
                if ("OKP".equals(jwk.path("kty").asText()) && "Ed25519".equals(jwk.path("crv").asText())) {
                    byte[] raw = Base64.getUrlDecoder().decode(jwk.path("x").asText());
                    byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
                    System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
                    System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
                    keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
                }
            }
            return new KeySet(keys, clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.io.IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("fetching fal webhook keys from {} failed: {}", jwksUrl, e.toString());
            return null;
        }
    }
}
