package dev.genq.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, 3);

    @RepeatedTest(20)
    void backoffGrowsExponentiallyWithUpToHalfAgainOfJitter() {
        assertThat(policy.delaySeconds(1, "provider answered 503")).isBetween(3L, 4L);
        assertThat(policy.delaySeconds(3, "provider answered 503")).isBetween(27L, 40L);
    }

    @Test
    void aLongerRetryAfterFromTheVendorWins() {
        assertThat(policy.delaySeconds(1, "provider answered 429: slow down (retry-after=120s)")).isEqualTo(120);
    }

    @RepeatedTest(10)
    void aShorterRetryAfterDoesNotShortenTheBackoff() {
        assertThat(policy.delaySeconds(3, "provider answered 429: slow down (retry-after=1s)")).isGreaterThanOrEqualTo(27);
    }
}
