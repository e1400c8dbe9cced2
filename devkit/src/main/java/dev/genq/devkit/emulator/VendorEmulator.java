package dev.genq.devkit.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.genq.devkit.Exchanges;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every vendor emulator shares: an HTTP server on loopback, accepted keys with the peak number
 * of tasks each had in flight, the fault directives of {@link Behaviour} applied to submits and
 * polls, output files behind expiring links, and webhook delivery. Subclasses speak one vendor's
 * wire format on top. Tasks are counted by a marker (the generation id where the vendor takes an
 * idempotency key, else the prompt or link), so tests can assert what the vendor billed.
 */
public abstract class VendorEmulator implements AutoCloseable {
    /** Buffers from a shared pool: Jackson's default keeps them per thread, and each exchange here has a new virtual thread. */
    protected static final ObjectMapper JSON = new ObjectMapper(
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
    /** How long an output link stays valid unless {@code [expired]}: long enough to copy, as at real vendors. */
    private static final long OUTPUT_TTL_MS = 60_000;

    protected final HttpServer server;
    private final Behaviour defaults;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, Thread.ofVirtual().factory());
    // Completes each call on the client's selector thread: the default pool hand-offs cost more CPU than the call.
    private final HttpClient webhookClient = HttpClient.newBuilder().executor(Runnable::run).build();
    private final Map<String, AtomicInteger> activeByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> peakByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> submitsByMarker = new ConcurrentHashMap<>();
    private final Map<String, List<Task>> tasksByMarker = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> webhookAnswers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> webhookRetries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> downloadsByMarker = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> garbledSoFar = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cancelsByMarker = new ConcurrentHashMap<>();
    protected final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private volatile long stallMs = 4_000;

    /** One task at the vendor. */
    public static final class Task {
        public final String id;
        public final String model;
        public final int units;
        public final Behaviour behaviour;
        public final String account;
        public final String marker;
        public final String webhook;
        public final long createdAtMs = System.currentTimeMillis();
        public volatile boolean cancelled;
        /** How far the task had come when it was cancelled: what it delivered stays delivered. */
        public volatile int progressAtCancel;
        /** When the cancel was taken. */
        public volatile long cancelledAtMs;
        private final AtomicInteger statusReads = new AtomicInteger();

        Task(String id, String model, int units, Behaviour behaviour, String account, String marker, String webhook) {
            this.id = id;
            this.model = model;
            this.units = units;
            this.behaviour = behaviour;
            this.account = account;
            this.marker = marker;
            this.webhook = webhook;
        }

        public long elapsedMs() {
            return System.currentTimeMillis() - createdAtMs;
        }

        public boolean finished() {
            return elapsedMs() >= behaviour.latencyMs();
        }

        public int progressPercent() {
            return (int) Math.min(100, 100 * elapsedMs() / Math.max(1, behaviour.latencyMs()));
        }

        /** The media type its outputs are served as: the model's, unless the prompt says {@code [ctype=…]}. */
        public String servedType() {
            return behaviour.contentType() != null ? behaviour.contentType() : mediaType(model);
        }

        /** Outputs the finished task delivers: one file for video, audio and text; one per unit for images. */
        public int outputs() {
            if (!mediaType(model).startsWith("image/")) {
                return 1;
            }
            return behaviour.deliver() >= 0 ? Math.min(behaviour.deliver(), units) : units;
        }
    }

    protected VendorEmulator(int port, long defaultLatencyMs) throws IOException {
        this.defaults = Behaviour.defaults(defaultLatencyMs);
        server = Exchanges.loopbackServer(port, 1024);
        server.createContext("/files/", this::file);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Accepts a vendor account's key; each account's concurrency is tracked apart. */
    public void acceptKey(String key) {
        activeByKey.putIfAbsent(key, new AtomicInteger());
        peakByKey.putIfAbsent(key, new AtomicInteger());
    }

    protected boolean accepted(String key) {
        return key != null && activeByKey.containsKey(key);
    }

    /** Most tasks of the account with {@code key} that were ever in flight at once. */
    public int peakConcurrency(String key) {
        return peakByKey.get(key).get();
    }

    /** Starts counting the peak afresh from the tasks in flight now (earlier tests' tasks may have overlapped ones genq gave up on). */
    public void resetPeak(String key) {
        peakByKey.get(key).set(activeByKey.get(key).get());
    }

    /** How long a {@code [timeout]} answer is held back; longer than genq's request timeout for the account. */
    public void stallFor(long ms) {
        stallMs = ms;
    }

    /** How many submits arrived for this marker, failed ones included. */
    public int submits(String marker) {
        AtomicInteger n = submitsByMarker.get(marker);
        return n == null ? 0 : n.get();
    }

    /** How many tasks were started (and would be billed) for this marker. */
    public int tasksStarted(String marker) {
        return tasksByMarker.getOrDefault(marker, List.of()).size();
    }

    /** Whether a task made for {@code marker} was cancelled. */
    public boolean cancelled(String marker) {
        return tasksByMarker.getOrDefault(marker, List.of()).stream().anyMatch(t -> t.cancelled);
    }

    /** How many cancel requests arrived for the tasks made for {@code marker}, refused ones included. */
    public int cancelRequests(String marker) {
        AtomicInteger n = cancelsByMarker.get(marker);
        return n == null ? 0 : n.get();
    }

    /**
     * A cancel request for a task: counted, and taken unless the task ended already or is
     * {@code [nocancel]} (a vendor that cannot stop it); true when taken. Subclasses answer in their
     * vendor's shape.
     */
    protected boolean cancel(Task task) {
        cancelsByMarker.computeIfAbsent(task.marker, k -> new AtomicInteger()).incrementAndGet();
        if (task.cancelled) {
            return true; // cancelled stays cancelled, however often asked
        }
        if (task.finished() || task.behaviour.has("nocancel")) {
            return false;
        }
        task.progressAtCancel = task.progressPercent();
        task.cancelledAtMs = System.currentTimeMillis();
        task.cancelled = true;
        return true;
    }

    /** The HTTP statuses genq answered to the webhooks of the tasks made for {@code marker}. */
    public List<Integer> webhookAnswers(String marker) {
        return webhookAnswers.getOrDefault(marker, List.of());
    }

    /** The body the webhook of the first task made for {@code marker} would carry now. */
    public String webhookBodyOf(String marker) {
        List<Task> made = tasksByMarker.get(marker);
        if (made == null || made.isEmpty()) {
            throw new IllegalArgumentException("no task was started for " + marker);
        }
        return webhookBody(made.getFirst());
    }

    /** How many times the status of the tasks made for {@code marker} was asked for. */
    public int statusReads(String marker) {
        return tasksByMarker.getOrDefault(marker, List.of()).stream().mapToInt(t -> t.statusReads.get()).sum();
    }

    /** How many times outputs of the tasks made for {@code marker} were served, all outputs counted. */
    public int downloads(String marker) {
        AtomicInteger n = downloadsByMarker.get(marker);
        return n == null ? 0 : n.get();
    }

    /** The bytes the first task made for {@code marker} serves as output {@code index}. */
    public byte[] expectedOutput(String marker, int index) {
        List<Task> made = tasksByMarker.get(marker);
        if (made == null || made.isEmpty()) {
            throw new IllegalArgumentException("no task was started for " + marker);
        }
        return outputBytes(made.getFirst(), index);
    }

    /** The bytes output {@code index} of a task serves: a real file of its media type, deterministic, so tests can compare. */
    public static byte[] outputBytes(Task task, int index) {
        return MediaFiles.bytes(task.servedType(), seed(task.id, index), task.behaviour.outputBytes());
    }

    private static long seed(String taskId, int index) {
        return taskId.hashCode() * 31L + index;
    }

    /** The behaviour of a task whose prompt (or link) is {@code text}. */
    protected Behaviour behaviourOf(String text) {
        return defaults.withPrompt(text);
    }

    /** The first task made for {@code marker}, if any: vendors with idempotency keys answer with it again. */
    protected Task existing(String marker) {
        List<Task> made = tasksByMarker.get(marker);
        return made == null || made.isEmpty() ? null : made.getFirst();
    }

    /**
     * Counts a submit and answers the faults that come before any task exists (throttling, a
     * server error, a refusal); true when one answered.
     */
    protected boolean refusedBeforeStart(HttpExchange exchange, Behaviour b, String marker) throws IOException {
        int attempt = submitsByMarker.computeIfAbsent(marker, k -> new AtomicInteger()).incrementAndGet();
        if (attempt <= b.throttles()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            error(exchange, 429, "rate_limited", "Request was throttled. Expected available in 1 second.");
            return true;
        }
        if (attempt <= b.throttles() + b.transientFailures()) {
            error(exchange, 500, "server_error", "The server had an error while processing your request.");
            return true;
        }
        if (b.reject()) {
            error(exchange, 400, rejectCode(), "Your request was rejected by the safety system.");
            return true;
        }
        return false;
    }

    /**
     * Applies the faults that strike after the task was made: the answer is cut off, held back past
     * the client's timeout, or not JSON. True when the answer was spoiled and nothing more may be sent.
     */
    protected boolean spoiledAnswer(HttpExchange exchange, Behaviour b, String marker) throws IOException {
        int k = submits(marker) - b.throttles() - b.transientFailures();
        if (k <= b.count("reset")) {
            exchange.close(); // no status line: the client sees the connection end
            return true;
        }
        if (k <= b.count("reset") + b.count("timeout")) {
            sleep(stallMs);
            return false;
        }
        if (k <= b.count("reset") + b.count("timeout") + b.count("malformed")) {
            sendText(exchange, 200, "application/json", "<html><body>502 Bad Gateway</body></html>");
            return true;
        }
        return false;
    }

    /**
     * True (and answered with garbage) while the task's first {@code [garbled=N]} status answers are
     * due. Every status read passes here and is counted.
     */
    protected boolean garbledStatus(HttpExchange exchange, Task task) throws IOException {
        task.statusReads.incrementAndGet();
        int n = task.behaviour.count("garbled");
        if (n > 0 && garbledSoFar.computeIfAbsent(task.id, k -> new AtomicInteger()).incrementAndGet() <= n) {
            sendText(exchange, 200, "application/json", "{\"status\": ");
            return true;
        }
        return false;
    }

    /**
     * Makes a task: counted for its marker, in flight for its account until its latency has passed,
     * and with its webhook scheduled if it gave one.
     */
    protected Task start(String id, String model, int units, Behaviour behaviour, String account, String marker, String webhook) {
        Task task = new Task(id, model, units, behaviour, account, marker, webhook);
        tasks.put(id, task);
        tasksByMarker.computeIfAbsent(marker, k -> new CopyOnWriteArrayList<>()).add(task);
        if (account != null && activeByKey.containsKey(account)) {
            int now = activeByKey.get(account).incrementAndGet();
            peakByKey.get(account).accumulateAndGet(now, Math::max);
            timers.schedule(() -> activeByKey.get(account).decrementAndGet(), behaviour.latencyMs(), TimeUnit.MILLISECONDS);
        }
        if (webhook != null && signsWebhooks(account)) {
            long delay = behaviour.has("webhook-early") ? 0 : behaviour.latencyMs() + 20;
            deliverLater(task, webhook, delay);
        }
        return task;
    }

    /** Delivers the task's webhook body as it is then, {@code delayMs} from now, on a thread of its own. */
    protected void deliverLater(Task task, String url, long delayMs) {
        // delivered on a thread of its own: a vendor calls back for many tasks at once, not one after another
        timers.schedule(() -> Thread.ofVirtual().start(() -> deliverWebhook(task, url)), delayMs, TimeUnit.MILLISECONDS);
    }

    /** A link to output {@code index} of a task, expiring as real vendors' links do. */
    protected String fileUrl(Task task, int index) {
        long expires = task.behaviour.has("expired") ? System.currentTimeMillis() - 1 : System.currentTimeMillis() + OUTPUT_TTL_MS;
        return baseUrl() + "/files/" + task.id + "/" + index + "?expires=" + expires;
    }

    /** The media type a model's outputs have, judged by its name as the built-in catalog names them. */
    public static String mediaType(String model) {
        if (model.contains("video")) {
            return "video/mp4";
        }
        if (model.contains("voice") || model.contains("audio")) {
            return "audio/mpeg";
        }
        return model.contains("text") ? "text/plain" : "image/png";
    }

    private void file(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> parts = List.of(exchange.getRequestURI().getPath().substring("/files/".length()).split("/"));
            Task task = parts.size() == 2 ? tasks.get(parts.get(0)) : null;
            if (task == null) {
                sendText(exchange, 404, "text/plain", "no such file");
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            if (query != null && query.startsWith("expires=") && Long.parseLong(query.substring(8)) < System.currentTimeMillis()) {
                sendText(exchange, 403, "application/xml", "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
                return;
            }
            downloadsByMarker.computeIfAbsent(task.marker, k -> new AtomicInteger()).incrementAndGet();
            if (task.behaviour.has("download-delay")) {
                sleep(task.behaviour.count("download-delay"));
            }
            int size = task.behaviour.outputBytes();
            exchange.getResponseHeaders().set("Content-Type", task.servedType());
            exchange.sendResponseHeaders(200, task.behaviour.chunked() ? 0 : size);
            try (OutputStream out = exchange.getResponseBody()) {
                MediaFiles.write(out, task.servedType(), seed(task.id, Integer.parseInt(parts.get(1))), size);
            }
        }
    }

    /** One delivery, retried like a vendor retries: up to 3 times, a second apart, while the receiver is unreachable or 5xx. */
    private int send(HttpRequest request) throws InterruptedException {
        int status = -1;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0) {
                Thread.sleep(1_000);
            }
            String failure;
            try {
                status = webhookClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 500) {
                    return status;
                }
                failure = "HTTP " + status;
            } catch (IOException e) {
                status = -1;
                failure = e.getClass().getSimpleName();
            }
            if (attempt < 2) {
                webhookRetries.computeIfAbsent(failure, k -> new AtomicInteger()).incrementAndGet();
            }
        }
        return status;
    }

    /**
     * Webhook deliveries sent again a second later, by what failed the attempt before: a receiver
     * that refuses or drops callbacks under load makes them that late.
     */
    public Map<String, Integer> webhookRetries() {
        Map<String, Integer> counts = new TreeMap<>();
        webhookRetries.forEach((failure, n) -> counts.put(failure, n.get()));
        return counts;
    }

    private void deliverWebhook(Task task, String url) {
        String body = webhookBody(task);
        Map<String, String> headers = webhookHeaders(task, body, task.behaviour.has("webhook-badsig"));
        int times = task.behaviour.has("webhook-replay") ? 2 : 1;
        for (int i = 0; i < times; i++) {
            int status;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                headers.forEach(request::header);
                status = send(request.build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            webhookAnswers.computeIfAbsent(task.marker, k -> new CopyOnWriteArrayList<>()).add(status);
        }
    }

    /** Whether webhooks of the account with {@code key} are signed (a secret or key pair is set up). */
    protected boolean signsWebhooks(String key) {
        return false;
    }

    /** The body of a task's webhook: the vendor's view of the task now. */
    protected String webhookBody(Task task) {
        throw new UnsupportedOperationException("this vendor sends no webhooks");
    }

    /** The headers that sign a webhook; {@code forged} signs with a key genq does not know. */
    protected Map<String, String> webhookHeaders(Task task, String body, boolean forged) {
        throw new UnsupportedOperationException("this vendor sends no webhooks");
    }

    /** The vendor's error code for a prompt its content policy refuses. */
    protected String rejectCode() {
        return "content_policy";
    }

    /** Answers an error in the vendor's own shape. */
    protected abstract void error(HttpExchange exchange, int status, String code, String message) throws IOException;

    protected static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        Exchanges.sendJson(exchange, status, JSON.writeValueAsBytes(body));
    }

    protected static void sendText(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    protected static String bearer(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    }

    protected static JsonNode readJson(HttpExchange exchange) {
        try {
            return JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        server.stop(0);
    }
}
