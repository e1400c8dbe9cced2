package dev.genq.devkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** The emulators' JDK HTTP servers: made alike, and writing their responses. */
public final class Exchanges {
    static {
        // The JDK server closes every connection beyond 200 idle ones right after its answer, so a client
        // pooling hundreds (as genq's do under load) reuses dead ones; and it delays small answers (Nagle).
        // Read once, when the first server is made; a value given on the command line wins.
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "100000");
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private Exchanges() {
    }

    /** A loopback server on {@code port} (0: any free one) answering on virtual threads; not started. */
    public static HttpServer loopbackServer(int port, int backlog) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        return server;
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    public static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
