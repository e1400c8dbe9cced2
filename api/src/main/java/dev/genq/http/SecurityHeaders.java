package dev.genq.http;

import dev.genq.blob.S3Config;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.net.URI;

/**
 * Headers every answer carries: no MIME sniffing, no referrer, no framing; API answers are not
 * cached by anything in between unless they say so (a status poll does, privately); and the web
 * console's pages run only their own scripts and load images only from genq and its S3 host (the
 * signed output URLs).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class SecurityHeaders {
    private final String consolePolicy;

    SecurityHeaders(S3Config s3) {
        String endpoint = s3.getPublicEndpoint() != null && !s3.getPublicEndpoint().isBlank() ? s3.getPublicEndpoint() : s3.getEndpoint();
        String images = endpoint == null || endpoint.isBlank() ? "https://*.amazonaws.com" : origin(endpoint);
        this.consolePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: " + images
            + "; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    }

    @ResponseFilter
    void secure(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        response.header("X-Frame-Options", "DENY");
        String path = request.getPath();
        if (path.startsWith("/console/")) {
            response.header("Content-Security-Policy", consolePolicy);
        } else if ((path.startsWith("/v1/") || path.startsWith("/admin/")) && !response.getHeaders().contains("Cache-Control")) {
            response.header("Cache-Control", "no-store");
        }
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
