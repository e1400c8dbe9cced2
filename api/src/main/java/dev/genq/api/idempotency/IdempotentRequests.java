package dev.genq.api.idempotency;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorBody;
import dev.genq.idempotency.Claim;
import dev.genq.idempotency.IdempotencyKeys;
import dev.genq.infra.Crypto;
import dev.genq.infra.JsonText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.util.function.Supplier;

/**
 * Runs a money-moving request at most once per Idempotency-Key. The work and the stored response
 * commit in one transaction; a refusal (4xx) is stored too, so its replay is refused the same way;
 * a failure worth retrying (5xx) frees the key.
 */
@Singleton
public class IdempotentRequests {
    /** What a request answers: its status and the object to send as JSON. */
    public record Result(int status, Object body) {
    }

    private final IdempotencyKeys keys;
    private final TransactionOperations<Connection> tx;
    private final JsonText json;
    /** Request bodies are hashed with map keys sorted, so {"a":1,"b":2} and {"b":2,"a":1} are one body. */
    private final JsonMapper canonical = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    IdempotentRequests(IdempotencyKeys keys, TransactionOperations<Connection> tx, JsonText json) {
        this.keys = keys;
        this.tx = tx;
        this.json = json;
    }

    public MutableHttpResponse<String> respond(String scope, @Nullable String key, String route, Object request,
                                               Supplier<Result> work) {
        if (key == null) {
            Result result = work.get();
            return response(result.status(), toJson(result.body()));
        }
        Claim claim = keys.claim(scope, key, hash(route, request));
        return switch (claim) {
            case Claim.Replay replay -> response(replay.status(), replay.body()).header("Idempotent-Replayed", "true");
            case Claim.Mismatch ignored -> throw new GenqException(ErrorCode.IDEMPOTENCY_MISMATCH,
                "Idempotency-Key '" + key + "' was used with a different request; use a new key for a new request");
            case Claim.InProgress ignored -> throw new GenqException(ErrorCode.REQUEST_IN_PROGRESS,
                "a request with Idempotency-Key '" + key + "' is still in progress; retry shortly");
            case Claim.Claimed claimed -> runOnce(claimed, work);
        };
    }

    private MutableHttpResponse<String> runOnce(Claim.Claimed claim, Supplier<Result> work) {
        try {
            return tx.executeWrite(status -> {
                Result result = work.get();
                String body = toJson(result.body());
                keys.complete(claim, result.status(), body);
                return response(result.status(), body);
            });
        } catch (GenqException e) {
            if (e.code().httpStatus() >= 500 || e.code() == ErrorCode.RATE_LIMITED) { // passing refusals: a retry may succeed
                keys.release(claim);
                throw e;
            }
            String body = toJson(ErrorBody.of(e.code(), e.getMessage()));
            tx.executeWrite(status -> {
                keys.complete(claim, e.code().httpStatus(), body);
                return null;
            });
            return response(e.code().httpStatus(), body);
        } catch (RuntimeException e) {
            keys.release(claim);
            throw e;
        }
    }

    private String hash(String route, Object request) {
        try {
            return Crypto.sha256Hex(route + "\n" + canonical.writeValueAsString(request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String toJson(Object body) {
        return json.write(body);
    }

    private static MutableHttpResponse<String> response(int status, String body) {
        return HttpResponse.<String>status(HttpStatus.valueOf(status)).contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }
}
