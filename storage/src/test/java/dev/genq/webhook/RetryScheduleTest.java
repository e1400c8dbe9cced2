package dev.genq.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A delivery that never gets a 2xx is tried with growing waits for about 24 h, then failed. */
class RetryScheduleTest {

    @Test
    void anEndpointThatNeverAnswersIsTriedNineTimesWithinADay() {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        WebhookDelivery d = new WebhookDelivery(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            "generation.succeeded", "{}", "pending", 0, created, created, null, null, null);
        List<Instant> attempts = new ArrayList<>(List.of(created));
        Instant next = Webhooks.nextAttempt(d, 1, created);
        while (next != null) {
            attempts.add(next);
            next = Webhooks.nextAttempt(d, attempts.size(), next);
        }

        assertThat(attempts).hasSize(9);
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).isEqualTo(Duration.ofSeconds(5));
        assertThat(attempts.getLast()).isBefore(created.plus(Duration.ofHours(24))).isAfter(created.plus(Duration.ofHours(23)));
        for (int i = 2; i < attempts.size(); i++) {
            assertThat(Duration.between(attempts.get(i - 1), attempts.get(i)))
                .isGreaterThanOrEqualTo(Duration.between(attempts.get(i - 2), attempts.get(i - 1)));
        }
    }
}
