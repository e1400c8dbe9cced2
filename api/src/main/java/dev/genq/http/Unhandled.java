package dev.genq.http;

import dev.genq.error.ErrorCode;
import dev.genq.infra.DatabaseOutage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures no more specific handler claims. PostgreSQL out of reach (restarting, down, no pooled
 * connection free in time) answers 503 with Retry-After at once, logged as a warning: an outage to
 * wait out, not a fault of genq's; a client that saw no answer to a submit retries it with the same
 * Idempotency-Key. Anything else is genq's own fault: 500, logged as an error.
 */
@Produces
@Singleton
class Unhandled implements ExceptionHandler<RuntimeException, HttpResponse<ErrorBody>> {
    private static final Logger LOG = LoggerFactory.getLogger(Unhandled.class);

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, RuntimeException exception) {
        if (DatabaseOutage.isCause(exception)) {
            LOG.warn("{} {}: the database is unavailable ({})", request.getMethod(), request.getPath(), exception.toString());
            return HttpResponse.<ErrorBody>status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "2").body(ErrorBody.of(
                ErrorCode.UNAVAILABLE, "the database is unavailable for the moment; retry shortly (a submit with the same Idempotency-Key)"));
        }
        LOG.error("{} {} failed", request.getMethod(), request.getPath(), exception);
        return HttpResponse.<ErrorBody>status(HttpStatus.INTERNAL_SERVER_ERROR).body(ErrorBody.of(ErrorCode.INTERNAL, "internal error"));
    }
}
