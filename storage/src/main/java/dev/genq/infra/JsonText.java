package dev.genq.infra;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON text of genq's own values (JSON columns, stored responses). Failing to write or read our own
 * types is a bug, not a condition to handle, so it is unchecked here instead of at every caller.
 */
@Singleton
public class JsonText {
    private final JsonMapper json;

    public JsonText(JsonMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> readObject(String text) {
        return read(text, Map.class);
    }
}
