package dev.genq.execution;

/**
 * Thrown by a dispatch whose provider account is at its cluster-wide cap. Not a failure: the
 * {@link FailurePolicy} reschedules such a job shortly without counting it against its retries.
 */
class PermitUnavailable extends Exception {
    PermitUnavailable(String provider) {
        super("provider " + provider + " is at its concurrency or rate limit; waiting for a permit", null, false, false);
    }
}
