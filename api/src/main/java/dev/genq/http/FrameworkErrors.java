package dev.genq.http;

import dev.genq.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Errors Micronaut raises itself (malformed or unknown JSON fields, unknown routes, wrong methods or
 * media types, requests too large) leave in genq's shape too, with a code derived from the status.
 * Their messages are the framework's, less the names of genq's classes, which say nothing to a
 * client and something to an attacker.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
class FrameworkErrors implements ErrorResponseProcessor<ErrorBody> {
    /** A Java type name (dev.genq.api.generation.SubmitRequest, java.lang.Long), with "class " before it when there is one. */
    private static final Pattern TYPE_NAME = Pattern.compile("(?:class |interface |type )?`?(?:[a-z_][a-z0-9_]*\\.){2,}[A-Za-z0-9_$.]*`?");
    private static final int MAX_MESSAGE = 300;

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ErrorCode code = switch (response.code()) {
            case 400, 422 -> ErrorCode.INVALID_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
        String message = switch (code) {
            case INTERNAL -> "internal error";
            case PAYLOAD_TOO_LARGE -> "the request's body is larger than genq accepts";
            default -> clientMessage(context);
        };
        if (message.isBlank()) {
            message = response.reason();
        }
        return response.body(ErrorBody.of(code, message));
    }

    private static String clientMessage(ErrorContext context) {
        String joined = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        String plain = TYPE_NAME.matcher(joined).replaceAll("the request").replaceAll("\\s+", " ").trim();
        return plain.length() > MAX_MESSAGE ? plain.substring(0, MAX_MESSAGE) + "…" : plain;
    }
}
