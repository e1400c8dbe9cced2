package dev.genq.http;

import dev.genq.error.ErrorCode;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value PostgreSQL refuses to store because of what the client sent (text with a NUL or a lone
 * surrogate in a field no schema checks, a number beyond bigint): 400, since the transaction rolled
 * back and nothing was written. Any other database failure is answered as {@link Unhandled} answers it.
 */
@Produces
@Singleton
class StorageRefusals implements ExceptionHandler<DataAccessException, HttpResponse<ErrorBody>> {
    private static final Logger LOG = LoggerFactory.getLogger(StorageRefusals.class);
    /** character_not_in_repertoire, untranslatable_character (jsonb's \u0000), numeric_value_out_of_range. */
    private static final Set<String> CLIENT_VALUES = Set.of("22021", "22P05", "22003");
    private final Unhandled unhandled;

    StorageRefusals(Unhandled unhandled) {
        this.unhandled = unhandled;
    }

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, DataAccessException exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && CLIENT_VALUES.contains(sql.getSQLState())) {
                LOG.info("{} {}: refused a value PostgreSQL cannot store ({})", request.getMethod(), request.getPath(), sql.getSQLState());
                return HttpResponse.<ErrorBody>status(HttpStatus.BAD_REQUEST).body(ErrorBody.of(ErrorCode.INVALID_REQUEST,
                    "the request holds a value that cannot be stored: text with a NUL character or a broken surrogate,"
                        + " or a number out of range"));
            }
        }
        return unhandled.handle(request, exception);
    }
}
