package dev.genq.provider;

/**
 * Every provider failure, classified once. Retryable: timeouts, connection errors, 5xx, 429.
 * Permanent: other 4xx, content policy, invalid input, a task the vendor failed.
 */
public class ProviderException extends Exception {
    private final boolean retryable;
    private final String code;

    public ProviderException(boolean retryable, String code, String message) {
        super(message);
        this.retryable = retryable;
        this.code = code;
    }

    public static ProviderException retryable(String code, String message) {
        return new ProviderException(true, code, message);
    }

    public static ProviderException permanent(String code, String message) {
        return new ProviderException(false, code, message);
    }

    /** Classifies an HTTP status from a vendor. */
    public static ProviderException fromStatus(int status, String vendorCode, String message) {
        return fromStatus(status, vendorCode, message, null);
    }

    /**
     * Classifies an HTTP status from a vendor, keeping its Retry-After (seconds) in the message as
     * "retry-after=Ns", where the job's retry policy reads it back after JobRunr stored the failure.
     */
    public static ProviderException fromStatus(int status, String vendorCode, String message, String retryAfter) {
        boolean retryable = status == 408 || status == 429 || status >= 500;
        String code = vendorCode != null && !vendorCode.isBlank() ? vendorCode : "provider_http_" + status;
        String wait = retryAfter != null && retryAfter.trim().matches("\\d{1,6}") ? " (retry-after=" + retryAfter.trim() + "s)" : "";
        return new ProviderException(retryable, code, "provider answered " + status + ": " + message + wait);
    }

    public boolean retryable() {
        return retryable;
    }

    public String code() {
        return code;
    }
}
