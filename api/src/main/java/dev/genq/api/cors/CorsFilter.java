package dev.genq.api.cors;

import dev.genq.error.ErrorCode;
import dev.genq.http.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for /v1: a preflight from a configured origin is answered here, before authentication (a
 * browser sends it without the Authorization header); any other origin's preflight is refused; and
 * every /v1 answer to a configured origin names it, with the headers a page may read.
 */
@ServerFilter("/v1/**")
@Order(-100)
class CorsFilter {
    private static final String METHODS = "GET, POST";
    private static final String REQUEST_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-None-Match, Last-Event-ID";
    private static final String EXPOSED = "ETag, Retry-After, Idempotent-Replayed, Location";
    private final Set<String> origins;
    private final String maxAge;

    CorsFilter(CorsConfig config) {
        this.origins = config.getAllowedOrigins().stream().map(String::trim).filter(o -> !o.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.maxAge = String.valueOf(config.getMaxAge().toSeconds());
    }

    @RequestFilter
    @Nullable
    MutableHttpResponse<?> preflight(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.OPTIONS || !request.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD)) {
            return null;
        }
        String origin = request.getHeaders().getOrigin().orElse(null);
        if (origin == null || !origins.contains(origin)) {
            return HttpResponse.<ErrorBody>status(HttpStatus.FORBIDDEN)
                .body(ErrorBody.of(ErrorCode.FORBIDDEN, "origin " + origin + " may not call this API from a browser"));
        }
        return HttpResponse.noContent()
            .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
            .header(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
            .header(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, REQUEST_HEADERS)
            .header(HttpHeaders.ACCESS_CONTROL_MAX_AGE, maxAge)
            .header(HttpHeaders.VARY, "Origin");
    }

    @ResponseFilter
    void allow(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getHeaders().getOrigin().filter(origins::contains).ifPresent(origin -> {
            if (!response.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)) {
                response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .header(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
            }
        });
        if (!response.getHeaders().contains(HttpHeaders.VARY)) {
            response.header(HttpHeaders.VARY, "Origin"); // a cache must not serve one origin's answer to another
        }
    }
}
