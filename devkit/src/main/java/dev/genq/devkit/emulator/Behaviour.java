package dev.genq.devkit.emulator;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an emulator treats one task. Directives in the prompt (or an order's link) override the defaults:
 * <ul>
 * <li>{@code [latency=MS]} task duration;
 * <li>{@code [throttle=N]} the first N submits answer 429 with Retry-After; {@code [transient=N]} then N answer 500;
 * <li>{@code [reset=N]}, {@code [timeout=N]}, {@code [malformed=N]}: after the task is made, the next N submit
 *     answers are cut off, arrive too late, or are not JSON;
 * <li>{@code [garbled=N]} the first N status answers are not JSON;
 * <li>{@code [reject]} the submit is refused (content policy); {@code [fail]} the task ends failed;
 * <li>{@code [deliver=K]} only K outputs; {@code [bytes=N]} size of each output; {@code [chunked]} outputs
 *     without a Content-Length; {@code [ctype=T]} outputs served as media type T; {@code [expired]} output
 *     links are already expired when given; {@code [download-delay=MS]} each output file answers MS late;
 * <li>{@code [webhook-early]} the webhook comes before the submit is answered; {@code [webhook-badsig]}
 *     it is signed with the wrong key; {@code [webhook-replay]} it is delivered twice;
 * <li>{@code [remains=K]} (reseller orders) the order ends Partial with K undelivered; {@code [nofunds]}
 *     the panel refuses for lack of funds;
 * <li>{@code [nocancel]} the vendor refuses to cancel the task, which runs on to its end.
 * </ul>
 */
public record Behaviour(long defaultLatencyMs, Map<String, Integer> directives, String contentType) {
    private static final Pattern DIRECTIVE = Pattern.compile("\\[([\\w-]+)(?:=(\\d+))?]");
    private static final Pattern CONTENT_TYPE = Pattern.compile("\\[ctype=([\\w./+-]+)]");

    public Behaviour {
        directives = Map.copyOf(directives);
    }

    public static Behaviour defaults(long latencyMs) {
        return new Behaviour(latencyMs, Map.of(), null);
    }

    Behaviour withPrompt(String prompt) {
        if (prompt == null) {
            return this;
        }
        Map<String, Integer> more = new HashMap<>(directives);
        Matcher m = DIRECTIVE.matcher(prompt);
        while (m.find()) {
            more.put(m.group(1), m.group(2) == null ? 1 : Integer.parseInt(m.group(2)));
        }
        Matcher type = CONTENT_TYPE.matcher(prompt);
        return new Behaviour(defaultLatencyMs, more, type.find() ? type.group(1) : contentType);
    }

    public int count(String name) {
        return directives.getOrDefault(name, 0);
    }

    public boolean has(String flag) {
        return directives.containsKey(flag);
    }

    public long latencyMs() {
        return directives.containsKey("latency") ? directives.get("latency") : defaultLatencyMs;
    }

    public int throttles() {
        return count("throttle");
    }

    public int transientFailures() {
        return count("transient");
    }

    public boolean reject() {
        return has("reject");
    }

    public boolean fail() {
        return has("fail");
    }

    /** Outputs to deliver, or -1 for as many as ordered. */
    public int deliver() {
        return directives.getOrDefault("deliver", -1);
    }

    public int outputBytes() {
        return directives.getOrDefault("bytes", 2048);
    }

    public boolean chunked() {
        return has("chunked");
    }
}
