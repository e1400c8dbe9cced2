package dev.genq.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection over a plain socket, for the benchmark's load generators: a
 * request is written in one piece and the response's body skipped. Not java.net.http, whose
 * per-request cost on the same two cores was a sizeable share of what it measured.
 */
final class BareHttp implements AutoCloseable {
    /** A response's status and ETag (null when absent); the body is not kept. */
    record Response(int status, String etag) {
    }

    private final String host;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    BareHttp(String host, int port) throws IOException {
        this.host = host;
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Sends one request; {@code headers} are whole lines, each ending in CRLF; {@code body} may be null. */
    Response send(String method, String path, String headers, byte[] body) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
            + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String etag = null;
        for (String h; !(h = line()).isEmpty(); ) {
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
            for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                in.skipNBytes(size);
                line();
            }
            line();
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return new Response(status, etag);
    }

    private String line() throws IOException {
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
