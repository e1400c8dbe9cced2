package dev.genq.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.infra.JsonTrees;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What every vendor's webhook check shares: the preamble ({@link #signedHeaders}: the signature's
 * headers present, the timestamp fresh, webhooks on for the account), reading the task id from the
 * body, reading a task's success from the body, and the one refusal they all throw.
 */
public final class WebhookWindow {
    /** Long enough for a vendor's delivery delays, short enough that a captured delivery is soon useless. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = JsonTrees.MAPPER;

    private WebhookWindow() {
    }

    /** A signed webhook's headers, each present; {@link #timestamp} is fresh. */
    public record SignedHeaders(String timestamp, Map<String, String> values) {
        public String get(String name) {
            return values.get(name);
        }
    }

    /**
     * The preamble of every signed webhook: refused unless its timestamp is fresh ({@link #requireFresh}),
     * the account has webhooks on, and every one of {@code required} is present.
     */
    public static SignedHeaders signedHeaders(Function<String, String> header, Clock clock, boolean enabled,
                                              String timestampHeader, String... required) throws ProviderException {
        String timestamp = header.apply(timestampHeader);
        requireFresh(timestamp, clock);
        Map<String, String> values = new HashMap<>();
        for (String name : required) {
            String value = header.apply(name);
            if (value == null) {
                throw rejected("webhook headers missing");
            }
            values.put(name, value);
        }
        if (!enabled) {
            throw rejected("webhooks are off for this account");
        }
        return new SignedHeaders(timestamp.trim(), values);
    }

    /** Throws unless {@code epochSeconds} is a timestamp within the window of now. */
    private static void requireFresh(String epochSeconds, Clock clock) throws ProviderException {
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
