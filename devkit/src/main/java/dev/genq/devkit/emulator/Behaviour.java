package dev.genq.devkit.emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the emulator treats one task. Directives in the prompt override the defaults:
 * {@code [latency=MS]} task duration; {@code [transient=N]} the first N submits answer 503;
 * {@code [throttle=N]} the first N submits answer 429 with Retry-After; {@code [reject]} the submit
 * answers 400 content_policy; {@code [fail]} the task ends failed; {@code [deliver=K]} only K outputs;
 * {@code [bytes=N]} size of each output; {@code [chunked]} outputs are sent without a Content-Length;
 * {@code [ctype=T]} outputs are served as media type T whatever the model.
 */
public record Behaviour(long latencyMs, int transientFailures, int throttles, boolean reject, boolean fail,
                        int deliver, int outputBytes, boolean chunked, String contentType) {
    private static final Pattern DIRECTIVE = Pattern.compile("\\[(\\w+)(?:=(\\d+))?]");
    private static final Pattern CONTENT_TYPE = Pattern.compile("\\[ctype=([\\w./+-]+)]");

    public static Behaviour defaults(long latencyMs) {
        return new Behaviour(latencyMs, 0, 0, false, false, -1, 2048, false, null);
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
                case "latency" -> new Behaviour(n, b.transientFailures, b.throttles, b.reject, b.fail, b.deliver, b.outputBytes, b.chunked, b.contentType);
                case "transient" -> new Behaviour(b.latencyMs, n, b.throttles, b.reject, b.fail, b.deliver, b.outputBytes, b.chunked, b.contentType);
                case "throttle" -> new Behaviour(b.latencyMs, b.transientFailures, n, b.reject, b.fail, b.deliver, b.outputBytes, b.chunked, b.contentType);
                case "reject" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, true, b.fail, b.deliver, b.outputBytes, b.chunked, b.contentType);
                case "fail" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, true, b.deliver, b.outputBytes, b.chunked, b.contentType);
                case "deliver" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, b.fail, n, b.outputBytes, b.chunked, b.contentType);
                case "bytes" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, b.fail, b.deliver, n, b.chunked, b.contentType);
                case "chunked" -> new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, b.fail, b.deliver, b.outputBytes, true, b.contentType);
                default -> b;
            };
        }
        Matcher type = CONTENT_TYPE.matcher(prompt);
        if (type.find()) {
            b = new Behaviour(b.latencyMs, b.transientFailures, b.throttles, b.reject, b.fail, b.deliver, b.outputBytes, b.chunked, type.group(1));
        }
        return b;
    }
}
