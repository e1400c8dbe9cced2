package dev.genq.error;

/** Every error a genq client can see; {@link #wire()} is the stable machine-readable code. */
public enum ErrorCode {
    INVALID_REQUEST(400),
    INVALID_INPUT(400),
    UNKNOWN_MODEL(400),
    UNAUTHORIZED(401),
    INSUFFICIENT_FUNDS(402),
    FORBIDDEN(403),
    INSUFFICIENT_SCOPE(403),
    ACCOUNT_BLOCKED(403),
    ACCOUNT_SUSPENDED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    INVALID_STATE(409),
    QUOTE_EXPIRED(409),
    QUOTE_MISMATCH(409),
    MODEL_DISABLED(409),
    DUPLICATE_ACTIVE(409),
    REQUEST_IN_PROGRESS(409),
    LIMIT_REACHED(409),
    IDEMPOTENCY_MISMATCH(422),
    PAYLOAD_TOO_LARGE(413),
    URI_TOO_LONG(414),
    HEADERS_TOO_LARGE(431),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMITED(429),
    INTERNAL(500),
    GATEWAY_REFUSED(502),
    UNAVAILABLE(503),
    GATEWAY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
