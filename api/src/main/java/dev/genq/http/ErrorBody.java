package dev.genq.http;

import dev.genq.error.ErrorCode;
import io.micronaut.serde.annotation.Serdeable;

/** {"error":{"code":"insufficient_funds","message":"…"}} */
@Serdeable
public record ErrorBody(Detail error) {

    @Serdeable
    public record Detail(String code, String message) {
    }

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(new Detail(code.wire(), message));
    }
}
