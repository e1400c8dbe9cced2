package dev.genq.api.error;

import dev.genq.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Errors Micronaut raises itself (malformed or unknown JSON fields, unknown routes, wrong methods or
 * media types) leave in genq's shape too, with a code derived from the status.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
class FrameworkErrors implements ErrorResponseProcessor<ErrorBody> {

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ErrorCode code = switch (response.code()) {
            case 400, 422 -> ErrorCode.INVALID_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
        String message = code == ErrorCode.INTERNAL ? "internal error"
            : context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        if (message.isBlank()) {
            message = response.reason();
        }
        return response.body(ErrorBody.of(code, message));
    }
}
