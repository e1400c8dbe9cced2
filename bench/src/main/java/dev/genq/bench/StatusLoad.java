package dev.genq.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The load side of the status-polling run, started by {@link GenqEndToEnd} as a second process so
 * its CPU is not genq's. Polls {@code GET /v1/generations/{id}} over keep-alive connections the way
 * a frontend does (sending back the ETag it was given), after an unmeasured warm-up of the same
 * kind, until the time or the request budget runs out, and prints one line:
 * {@code requests seconds p50_us p99_us not_modified errors}.
 *
 * <p>Over {@link BareHttp}: the load generator must cost far less than what it measures, on the same two cores.
 */
public final class StatusLoad {
    private StatusLoad() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String apiKey = args[2];
        double seconds = Double.parseDouble(args[3]);
        int connections = Integer.parseInt(args[4]);
        long maxRequests = Long.parseLong(args[5]);
        List<String> ids = Arrays.asList(args[6].split(","));
        double warmupSeconds = Double.parseDouble(args[7]);
        AtomicLong budget = new AtomicLong(maxRequests);
        AtomicLong notModified = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        // Each connection is one frontend: it keeps the ETags it was given, from the warm-up on.
        List<Map<String, String>> etags = IntStream.range(0, connections).<Map<String, String>>mapToObj(c -> new HashMap<>()).toList();
        // Unmeasured first: the status path's code is compiled by the JIT during these seconds, not the measured ones.
        pollAll(host, port, apiKey, ids, etags, warmupSeconds, new AtomicLong(maxRequests), new AtomicLong(), new AtomicLong());
        long start = System.nanoTime();
        long[][] perConnection = pollAll(host, port, apiKey, ids, etags, seconds, budget, notModified, errors);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(perConnection).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%d %.3f %d %d %d %d%n", all.length, elapsed, at(all, 50), at(all, 99), notModified.get(), errors.get());
    }

    /** Polls over one connection per ETag map at once for {@code seconds}; returns each connection's latencies. */
    private static long[][] pollAll(String host, int port, String apiKey, List<String> ids, List<Map<String, String>> etags,
                                    double seconds, AtomicLong budget, AtomicLong notModified, AtomicLong errors) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long[][] perConnection = new long[etags.size()][];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < etags.size(); c++) {
            int index = c;
            threads.add(Thread.ofPlatform().start(() ->
                perConnection[index] = poll(host, port, apiKey, ids, etags.get(index), index, deadline, budget, notModified, errors)));
        }
        for (Thread t : threads) {
            t.join();
        }
        return perConnection;
    }

    private static long at(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    /** One keep-alive connection's loop; returns its latencies in microseconds. */
    private static long[] poll(String host, int port, String apiKey, List<String> ids, Map<String, String> etags, int offset,
                               long deadline, AtomicLong budget, AtomicLong notModified, AtomicLong errors) {
        long[] latencies = new long[1 << 16];
        int n = 0;
        String auth = "Authorization: Bearer " + apiKey + "\r\n";
        try (BareHttp http = new BareHttp(host, port)) {
            for (int k = offset; System.nanoTime() < deadline && budget.getAndDecrement() > 0; k++) {
                String id = ids.get(k % ids.size());
                String etag = etags.get(id);
                long t0 = System.nanoTime();
                BareHttp.Response r = http.send("GET", "/v1/generations/" + id, etag == null ? auth : auth + "If-None-Match: " + etag + "\r\n", null);
                long us = (System.nanoTime() - t0) / 1_000;
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = us;
                if (r.status() == 304) {
                    notModified.incrementAndGet();
                } else if (r.status() == 200) {
                    if (r.etag() != null) {
                        etags.put(id, r.etag());
                    }
                } else {
                    errors.incrementAndGet();
                }
            }
        } catch (IOException e) {
            errors.incrementAndGet();
        }
        return Arrays.copyOf(latencies, n);
    }
}
