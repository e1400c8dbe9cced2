package dev.genq.error;

/** A failure the caller can act on: a code from {@link ErrorCode} and a message for a person. */
public class GenqException extends RuntimeException {
    private final ErrorCode code;

    public GenqException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static GenqException notFound(String what) {
        return new GenqException(ErrorCode.NOT_FOUND, what + " not found");
    }
}
