package dev.genq.api.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.api.support.ApiRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A server-sent events reader, as a browser's EventSource parses them (fields id, event, data; blank line ends an event). */
final class SseClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private volatile boolean closed;

    record Event(String id, String name, JsonNode data) {
    }

    SseClient(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() == 200) {
            Thread.ofVirtual().start(this::read);
        }
    }

    int status() {
        return response.statusCode();
    }

    /** The next event other than a heartbeat. */
    Event next() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event but heartbeats within 10 s");
            }
            if (!e.name().equals("heartbeat")) {
                return e;
            }
        }
    }

    /** The next event of any kind, or null if none comes within {@code wait}. */
    Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the server ended the stream (after a generation's last status). */
    boolean ended(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (!closed && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return closed;
    }

    private void read() {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, ApiRole.JSON.readTree(data.toString())));
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (Exception e) {
            // closed by the test or the server
        } finally {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        response.body().close();
    }
}
