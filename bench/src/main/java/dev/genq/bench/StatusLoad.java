package dev.genq.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load side of the status-polling run, started by {@link GenqEndToEnd} as a second process so
 * its CPU is not genq's. Polls {@code GET /v1/generations/{id}} over keep-alive connections the way
 * a frontend does (sending back the ETag it was given), until the time or the request budget runs
 * out, and prints one line: {@code requests seconds p50_us p99_us not_modified errors}.
 *
 * <p>A bare HTTP/1.1 client over sockets, not java.net.http: the load generator must cost far less
 * than what it measures, on the same two cores.
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
        AtomicLong budget = new AtomicLong(maxRequests);
        AtomicLong notModified = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long[][] perConnection = new long[connections][];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int index = c;
            threads.add(Thread.ofPlatform().start(() ->
                perConnection[index] = poll(host, port, apiKey, ids, index, deadline, budget, notModified, errors)));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(perConnection).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%d %.3f %d %d %d %d%n", all.length, elapsed, at(all, 50), at(all, 99), notModified.get(), errors.get());
    }

    private static long at(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    /** One keep-alive connection's loop; returns its latencies in microseconds. */
    private static long[] poll(String host, int port, String apiKey, List<String> ids, int offset, long deadline,
                               AtomicLong budget, AtomicLong notModified, AtomicLong errors) {
        long[] latencies = new long[1 << 16];
        int n = 0;
        Map<String, String> etags = new HashMap<>();
        try (Socket socket = new Socket(host, port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            for (int k = offset; System.nanoTime() < deadline && budget.getAndDecrement() > 0; k++) {
                String id = ids.get(k % ids.size());
                String etag = etags.get(id);
                String request = "GET /v1/generations/" + id + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + apiKey
                    + "\r\n" + (etag == null ? "" : "If-None-Match: " + etag + "\r\n") + "\r\n";
                long t0 = System.nanoTime();
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Response r = read(in);
                long us = (System.nanoTime() - t0) / 1_000;
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = us;
                if (r.status == 304) {
                    notModified.incrementAndGet();
                } else if (r.status == 200) {
                    if (r.etag != null) {
                        etags.put(id, r.etag);
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

    private record Response(int status, String etag) {
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String etag = null;
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase();
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "etag" -> etag = value;
                default -> { }
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; ) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return new Response(status, etag);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }
}
