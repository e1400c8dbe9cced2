package dev.genq.api.auth;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.genq.account.AccountKeys;
import dev.genq.account.Scope;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.generator.JwtTokenGenerator;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Short-lived tokens a customer's backend makes from its key for one browser: signed JWTs (HS256,
 * micronaut-security-jwt) naming the account, the key they came from and at most read and submit.
 * Revoking that key ends its tokens too, since each use checks the key is still active.
 */
@Singleton
public class BrowserTokens {
    static final String ISSUER = "genq";
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    public static final Duration MAX_TTL = Duration.ofMinutes(15);
    /** What a browser may ever hold: never key management. */
    public static final Set<Scope> GRANTABLE = EnumSet.of(Scope.READ, Scope.SUBMIT);
    private static final String KEY_CLAIM = "key";
    private static final String SCOPE_CLAIM = "scope";

    private final JwtTokenGenerator generator;
    private final JsonWebTokenValidator<JWT, HttpRequest<?>> validator;

    BrowserTokens(JwtTokenGenerator generator, JsonWebTokenValidator<JWT, HttpRequest<?>> validator) {
        this.generator = generator;
        this.validator = validator;
    }

    public record Issued(String token, Instant expiresAt, Set<Scope> scopes) {
    }

    /** What a valid token claims; its key must still be checked. */
    record Claims(UUID accountId, UUID keyId, Set<Scope> scopes) {
    }

    public Issued issue(AccountKeys.KeyHolder holder, Set<Scope> wanted, Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(10)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'ttlSeconds' must be between 10 and " + MAX_TTL.toSeconds());
        }
        if (!GRANTABLE.containsAll(wanted)) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "a browser token may hold only the scopes read and submit");
        }
        if (!holder.scopes().containsAll(wanted)) {
            throw new GenqException(ErrorCode.INSUFFICIENT_SCOPE, "a token cannot hold a scope its key lacks");
        }
        Instant now = Instant.now();
        Instant expires = Instant.ofEpochSecond(now.plus(ttl).getEpochSecond()); // a JWT's exp is in whole seconds
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", holder.account().id().toString());
        claims.put(KEY_CLAIM, holder.keyId().toString());
        claims.put(SCOPE_CLAIM, wanted.stream().map(Scope::wire).collect(Collectors.joining(" ")));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        String token = generator.generateToken(claims)
            .orElseThrow(() -> new IllegalStateException("the token generator made no token; is the signing secret set?"));
        return new Issued(token, expires, wanted);
    }

    /** The claims of a token this cluster signed that has not expired; empty for anything else. */
    Optional<Claims> verify(String token, HttpRequest<?> request) {
        return validator.validate(token, request).flatMap(jwt -> {
            try {
                JWTClaimsSet claims = jwt.getJWTClaimsSet();
                if (!ISSUER.equals(claims.getIssuer()) || claims.getExpirationTime() == null) {
                    return Optional.empty();
                }
                return Optional.of(new Claims(UUID.fromString(claims.getSubject()), UUID.fromString(claims.getStringClaim(KEY_CLAIM)),
                    Scope.parse(Arrays.asList(claims.getStringClaim(SCOPE_CLAIM).split(" ")))));
            } catch (ParseException | RuntimeException e) {
                return Optional.empty(); // signed by us but not shaped by us: not a browser token
            }
        });
    }
}
