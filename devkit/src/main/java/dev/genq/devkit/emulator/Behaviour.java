package dev.genq.devkit.emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the emulator treats one task. Directives in the prompt override the defaults:
 * {@code [latency=MS]} task duration; {@code [transient=N]} the first N submits answer 503;
 * {@code [throttle=N]} the first N submits answer 429 with Retry-After; {@code [reject]} the submit
 * answers 400 content_policy; {@code [fail]} the task ends failed; {@code [deliver=K]} only K outputs;
 * {@code [bytes=N]} size of each output; {@code [chunked]} outputs are sent without a Content-Length.
 */
public record Behaviour(long latencyMs, int transientFailures, int throttles, boolean reject, boolean fail,
                        int deliver, int outputBytes, boolean chunked) {
    private static final Pattern DIRECTIVE = Pattern.compile("\\[(\\w+)(?:=(\\d+))?]");

    public static Behaviour defaults(long latencyMs) {
        return new Behaviour(latencyMs, 0, 0, false, false, -1, 2048, false);
    }

    Behaviour withPrompt(String prompt) {
        if (prompt == null) {
            return this;
        }
        Behaviour b = this;
        Matcher m = DIRECTIVE.matcher(prompt);
        while (m.find()) {
            int n = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            b = switch (m.group(1)) {
                case "latency" -> new Behaviour(n, b.transientFailures, b.throttles, b.reject, b.fail, b.deliver, b.outputBytes, b.chunked);
                case "transient" -> new Behaviour(b.latencyMs, n, b.throttles, b.reject, b.fail, b.deliver, b.outputBytes, b.chunked);
                case "throttle" -> new Behaviour(b.latencyMs, b.transientFailures, n, b.reject, b.fail, b.deliver, b.outputBytes, b.chunked);
                case "reject" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, true, b.fail, b.deliver, b.outputBytes, b.chunked);
                case "fail" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, true, b.deliver, b.outputBytes, b.chunked);
                case "deliver" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, b.fail, n, b.outputBytes, b.chunked);
                case "bytes" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, b.fail, b.deliver, n, b.chunked);
                case "chunked" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, b.fail, b.deliver, b.outputBytes, true);
                default -> b;
            };
        }
        return b;
    }
}
