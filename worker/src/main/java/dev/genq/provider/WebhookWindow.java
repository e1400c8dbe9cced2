package dev.genq.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The freshness rule every signed webhook obeys: older (or further ahead) than five minutes is refused. */
public final class WebhookWindow {
    /** Long enough for a vendor's delivery delays, short enough that a captured delivery is soon useless. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);

    private WebhookWindow() {
    }

    /** Throws unless {@code epochSeconds} is a timestamp within the window of now. */
    public static void requireFresh(String epochSeconds, Clock clock) throws ProviderException {
        try {
            Instant sentAt = Instant.ofEpochSecond(Long.parseLong(epochSeconds == null ? "" : epochSeconds.trim()));
            if (Duration.between(sentAt, clock.instant()).abs().compareTo(MAX_AGE) <= 0) {
                return;
            }
        } catch (NumberFormatException e) {
            // not a timestamp: not from the vendor
        }
        throw rejected("webhook timestamp missing or outside the " + MAX_AGE.toMinutes() + "-minute window");
    }

    public static ProviderException rejected(String why) {
        return ProviderException.permanent("webhook_rejected", why);
    }
}
