package dev.genq.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.provider.ProviderException;
import java.time.Duration;
import org.jobrunr.jobs.states.FailedState;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
    private final FailurePolicy.Backoff backoff = new FailurePolicy.Backoff(3);

    @RepeatedTest(20)
    void backoffGrowsExponentiallyWithUpToHalfAgainOfJitter() {
        assertThat(backoff.delaySeconds(1, null)).isBetween(3L, 4L);
        assertThat(backoff.delaySeconds(3, null)).isBetween(27L, 40L);
    }

    @Test
    void aLongerRetryAfterFromTheVendorWins() {
        assertThat(backoff.delaySeconds(1, Duration.ofSeconds(120))).isEqualTo(120);
    }

    @RepeatedTest(10)
    void aShorterRetryAfterDoesNotShortenTheBackoff() {
        assertThat(backoff.delaySeconds(3, Duration.ofSeconds(1))).isGreaterThanOrEqualTo(27);
    }

    @Test
    void theVendorsRetryAfterTravelsAsATypedFieldToTheFailedJob() {
        ProviderException throttled = ProviderException.fromStatus(429, null, "slow down", " 120 ");
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(FailurePolicy.retryAfterOf(new FailedState("job failed", throttled))).isEqualTo(Duration.ofSeconds(120));
        assertThat(FailurePolicy.retryAfterOf(new FailedState("job failed", new IllegalStateException("wrapped", throttled))))
            .isEqualTo(Duration.ofSeconds(120));
        assertThat(throttled.afterSubmit(false).retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void aRetryAfterThatIsNoNumberOfSecondsIsIgnored() {
        assertThat(ProviderException.fromStatus(503, null, "down", "Wed, 21 Oct 2026 07:28:00 GMT").retryAfter()).isNull();
        assertThat(ProviderException.fromStatus(503, null, "down", null).retryAfter()).isNull();
        assertThat(FailurePolicy.retryAfterOf(new FailedState("job failed", new IllegalStateException("database down")))).isNull();
    }
}
