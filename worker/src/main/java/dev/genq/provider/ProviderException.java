package dev.genq.provider;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * Every provider failure, classified once. Retryable: timeouts, connection errors, 5xx, 429.
 * Permanent: other 4xx, content policy, invalid input, a task the vendor failed.
 *
 * <p>Two more facts steer retries and failover. {@code unstarted}: the vendor certainly started
 * nothing (it answered with an error, or the connection was never made), so sending again or going
 * to another route cannot pay twice. {@code routeFault}: the failure says something about the route
 * (it is down, throttled, or our credentials there are wrong) rather than about the request, so it
 * counts against the route's breaker and the next route may do better. A vendor's Retry-After
 * travels with it, read by the worker's failure policy.
 */
public class ProviderException extends Exception {
    /** The code of a task the vendor reports cancelled: by genq's request, or on its own. */
    public static final String CANCELLED = "provider_cancelled";
    private final boolean retryable;
    private final boolean unstarted;
    private final boolean routeFault;
    private final String code;
    private final @Nullable Duration retryAfter;

    public ProviderException(boolean retryable, boolean unstarted, boolean routeFault, String code, String message) {
        this(retryable, unstarted, routeFault, code, message, null);
    }

    private ProviderException(boolean retryable, boolean unstarted, boolean routeFault, String code, String message,
                              @Nullable Duration retryAfter) {
        super(message);
        this.retryable = retryable;
        this.unstarted = unstarted;
        this.routeFault = routeFault;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The vendor may or may not have acted (a timeout, a connection cut mid-call, an unreadable answer). */
    public static ProviderException retryable(String code, String message) {
        return new ProviderException(true, false, true, code, message);
    }

    /** Nothing reached the vendor (the connection was never made). */
    public static ProviderException unreachable(String code, String message) {
        return new ProviderException(true, true, true, code, message);
    }

    /** The request itself is wrong, or the vendor refused it for good. */
    public static ProviderException permanent(String code, String message) {
        return new ProviderException(false, true, false, code, message);
    }

    /** The vendor reports the task cancelled. */
    public static ProviderException cancelled(String message) {
        return permanent(CANCELLED, message);
    }

    /** Classifies an HTTP status from a vendor. */
    public static ProviderException fromStatus(int status, String vendorCode, String message) {
        return fromStatus(status, vendorCode, message, null);
    }

    /**
     * Classifies an HTTP status from a vendor, keeping its Retry-After when it is a number of seconds
     * (an HTTP date, or a wait over 11 days, is ignored: the backoff applies). 401, 402 and 403 are
     * permanent for the request but faults of the route (our key or balance there).
     */
    public static ProviderException fromStatus(int status, String vendorCode, String message, @Nullable String retryAfter) {
        boolean retryable = status == 408 || status == 429 || status >= 500;
        boolean routeFault = retryable || status == 401 || status == 402 || status == 403;
        String code = vendorCode != null && !vendorCode.isBlank() ? vendorCode : "provider_http_" + status;
        Duration wait = retryAfter != null && retryAfter.trim().matches("\\d{1,6}") ? Duration.ofSeconds(Long.parseLong(retryAfter.trim())) : null;
        return new ProviderException(retryable, true, routeFault, code, "provider answered " + status + ": " + message
            + (wait == null ? "" : " (retry after " + wait.toSeconds() + " s)"), wait);
    }

    /**
     * What a failed submit means for a retry. If the vendor may have started a task and cannot
     * recognise a resend ({@code idempotent} false), sending again could start and bill a second
     * one: the generation fails and is refunded instead. Never pay twice wins over never fail.
     */
    public ProviderException afterSubmit(boolean idempotent) {
        if (unstarted || idempotent) {
            return this;
        }
        return new ProviderException(false, false, true, "provider_submit_unknown",
            "the provider may or may not have started the task (" + getMessage() + "); it cannot recognise a resend,"
                + " so genq does not risk paying twice", retryAfter);
    }

    public boolean retryable() {
        return retryable;
    }

    /** True when the vendor certainly started nothing, so a resend or another route cannot pay twice. */
    public boolean unstarted() {
        return unstarted;
    }

    /** True when the failure counts against the route, and another route may succeed. */
    public boolean routeFault() {
        return routeFault;
    }

    public String code() {
        return code;
    }

    /** How long the vendor asked genq to wait before trying again; null when it did not say. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
