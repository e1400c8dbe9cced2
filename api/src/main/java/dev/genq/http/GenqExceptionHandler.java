package dev.genq.http;

import dev.genq.error.GenqException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Produces
@Singleton
class GenqExceptionHandler implements ExceptionHandler<GenqException, HttpResponse<ErrorBody>> {
    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, GenqException exception) {
        MutableHttpResponse<ErrorBody> response = HttpResponse.<ErrorBody>status(HttpStatus.valueOf(exception.code().httpStatus()))
            .body(ErrorBody.of(exception.code(), exception.getMessage()));
        exception.retryAfter().ifPresent(after -> response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, after.toSeconds()))));
        return response;
    }
}
