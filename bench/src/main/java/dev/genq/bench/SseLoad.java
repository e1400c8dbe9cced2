package dev.genq.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The browsers of the event-stream run, started by {@link GenqEndToEnd} as a second process: opens
 * {@code connections} account event streams ({@code GET /v1/events}), spread over the given keys,
 * prints {@code ready} once every one is open, counts the {@code status} events they receive until
 * a line arrives on standard input, and prints {@code events lowest_per_connection failed}.
 */
public final class SseLoad {
    private SseLoad() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        List<String> keys = Arrays.asList(args[1].split(","));
        int connections = Integer.parseInt(args[2]);
        AtomicLong[] received = new AtomicLong[connections];
        AtomicLong failed = new AtomicLong();
        CountDownLatch open = new CountDownLatch(connections);
        List<Stream<String>> streams = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int c = 0; c < connections; c++) {
                AtomicLong count = received[c] = new AtomicLong();
                http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                        .header("Authorization", "Bearer " + keys.get(c % keys.size())).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofLines())
                    .whenComplete((response, error) -> {
                        if (error != null || response.statusCode() != 200) {
                            failed.incrementAndGet();
                            open.countDown();
                            return;
                        }
                        synchronized (streams) {
                            streams.add(response.body());
                        }
                        open.countDown();
                        Thread.ofVirtual().start(() -> {
                            try {
                                response.body().forEach(line -> {
                                    if (line.equals("event: status") || line.equals("event:status")) {
                                        count.incrementAndGet();
                                    }
                                });
                            } catch (RuntimeException closed) {
                                // closed at the end of the run
                            }
                        });
                    });
            }
            if (!open.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("event streams did not open within 60 s");
            }
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            long all = Arrays.stream(received).mapToLong(AtomicLong::get).sum();
            long lowest = Arrays.stream(received).mapToLong(AtomicLong::get).min().orElse(0);
            System.out.printf("%d %d %d%n", all, lowest, failed.get());
            System.out.flush();
            synchronized (streams) {
                streams.forEach(Stream::close);
            }
        }
        System.exit(0);
    }
}
