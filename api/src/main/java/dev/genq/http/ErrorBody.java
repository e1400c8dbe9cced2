package dev.genq.http;

import dev.genq.error.ErrorCode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** {"error":{"code":"insufficient_funds","message":"…"}} */
@Serdeable
public record ErrorBody(Detail error) {

    /** {@code code}: one of {@link ErrorCode}'s wire names (the list here is checked against it by OpenApiTest). */
    @Serdeable
    public record Detail(@Schema(description = "machine-readable; stable", allowableValues = {"invalid_request", "invalid_input",
                             "unknown_model", "unauthorized", "insufficient_funds", "forbidden", "insufficient_scope", "account_blocked",
                             "account_suspended",
                             "not_found", "method_not_allowed", "invalid_state", "quote_expired", "quote_mismatch", "model_disabled",
                             "duplicate_active", "request_in_progress", "limit_reached", "idempotency_mismatch", "payload_too_large",
                             "uri_too_long", "headers_too_large", "unsupported_media_type", "rate_limited", "internal", "gateway_refused", "unavailable",
                             "gateway_unavailable"})
                         String code,
                         @Schema(description = "for a person") String message) {
    }

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(new Detail(code.wire(), message));
    }
}
