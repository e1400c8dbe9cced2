package dev.genq.error;

/** A failure the caller can act on: a code from {@link ErrorCode} and a message for a person. */
public class GenqException extends RuntimeException {
    private final ErrorCode code;
    private java.time.Duration retryAfter;

    public GenqException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** When the caller may try again (sent as Retry-After), for a refusal that passes. */
    public GenqException retryAfter(java.time.Duration after) {
        this.retryAfter = after;
        return this;
    }

    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    public static GenqException notFound(String what) {
        return new GenqException(ErrorCode.NOT_FOUND, what + " not found");
    }
}
