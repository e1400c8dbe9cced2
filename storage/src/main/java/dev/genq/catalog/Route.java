package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One way to run a model: a provider account (credentials and HTTP timeouts live with the account,
 * in configuration or secrets, never in the catalog), the model's name at that vendor, how long a
 * task may take there, and adapter options (the generic adapter's field paths, say).
 *
 * @param provider    the provider account, as named under {@code genq.providers}
 * @param model       the vendor's name for the model; default: the catalog model's id
 * @param deadline    how long one task may take on this route, as configuration writes durations
 *                    ({@code "90s"}, {@code "15m"}, {@code "72h"}, {@code "3d"}) or in ISO-8601
 *                    ({@code "PT72H"}); default: the account's deadline
 * @param options     adapter-specific settings; default: none
 */
@Serdeable
public record Route(String provider, @Nullable String model, @Nullable String deadline,
                    @Nullable Map<String, Object> options) {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public Route {
        options = options == null ? Map.of() : Map.copyOf(options);
        if (deadline != null) {
            Duration parsed = parse(deadline);
            if (parsed == null || parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException("route on " + provider + " has deadline '" + deadline
                    + "'; write a positive duration such as 90s, 15m, 72h, 3d or PT72H");
            }
        }
    }

    /** The route's own deadline, if it sets one. */
    public @Nullable Duration deadlineDuration() {
        return deadline == null ? null : parse(deadline);
    }

    private static @Nullable Duration parse(String text) {
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The route's name in health reports and metrics: {@code <catalog model>/<provider account>}. */
    public String id(String catalogModel) {
        return catalogModel + "/" + provider;
    }

    /** The vendor's name for the model on this route. */
    public String vendorModel(String catalogModel) {
        return model == null ? catalogModel : model;
    }
}
