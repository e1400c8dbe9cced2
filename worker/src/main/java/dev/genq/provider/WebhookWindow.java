package dev.genq.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.infra.JsonTrees;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What every vendor's webhook check shares: the freshness rule (older, or further ahead, than five
 * minutes is refused), reading the task id from the body, reading a task's success from the body,
 * and the one refusal they all throw.
 */
public final class WebhookWindow {
    /** Long enough for a vendor's delivery delays, short enough that a captured delivery is soon useless. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = JsonTrees.MAPPER;

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

    /** The text field {@code field} of a webhook's JSON body; a body without it, or not JSON, is refused. */
    public static String bodyField(String body, String field) throws ProviderException {
        String value;
        try {
            value = VendorHttp.text(JSON.readTree(body), field);
        } catch (java.io.IOException e) {
            throw rejected("webhook body is not JSON");
        }
        if (value == null || value.isBlank()) {
            throw rejected("webhook body names no " + field);
        }
        return value;
    }

    /** How a vendor's adapter reads a task's state from its webhook's JSON body; null when the body reports none. */
    @FunctionalInterface
    public interface StateReader {
        @Nullable TaskState read(JsonNode body) throws ProviderException;
    }

    /**
     * The success that a verified webhook's body reports, read by {@code reader}; null when it
     * reports anything else or cannot be read, and the check asks the vendor instead. A failure is
     * always asked again: a refund rests on the vendor's answer to genq's own question, never on a
     * body an adapter may have misread (a body shaped unlike the poll's answer reads as "no output").
     */
    public static TaskState.@Nullable Done reportedSuccess(String body, StateReader reader) {
        try {
            return reader.read(JSON.readTree(body)) instanceof TaskState.Done done ? done : null;
        } catch (java.io.IOException | ProviderException | RuntimeException e) {
            return null;
        }
    }

    public static ProviderException rejected(String why) {
        return ProviderException.permanent("webhook_rejected", why);
    }
}
