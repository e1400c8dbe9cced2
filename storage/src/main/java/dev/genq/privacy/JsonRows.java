package dev.genq.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.genq.infra.JsonTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/** Query rows as JSON lines, one object per row: jsonb columns embedded as JSON, times as ISO-8601. */
final class JsonRows {
    private JsonRows() {
    }

    /** Writes every row of {@code rows} to {@code out}; returns how many. */
    static int write(ResultSet rows, OutputStream out) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        int count = 0;
        try {
            while (rows.next()) {
                JsonGenerator json = JsonTrees.MAPPER.getFactory().createGenerator(out);
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.writeStartObject();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    json.writeFieldName(meta.getColumnLabel(i));
                    writeValue(json, rows, meta, i);
                }
                json.writeEndObject();
                json.flush();
                out.write('\n');
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    private static void writeValue(JsonGenerator json, ResultSet rows, ResultSetMetaData meta, int i) throws SQLException, IOException {
        Object value = rows.getObject(i);
        if (value == null) {
            json.writeNull();
        } else if ("jsonb".equals(meta.getColumnTypeName(i)) || "json".equals(meta.getColumnTypeName(i))) {
            json.writeRawValue(rows.getString(i));
        } else if (value instanceof Timestamp t) {
            json.writeString(t.toInstant().toString());
        } else if (meta.getColumnType(i) == Types.NUMERIC) {
            json.writeString(rows.getBigDecimal(i).toPlainString());
        } else if (value instanceof Number n) {
            json.writeNumber(n.longValue());
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            json.writeString(value.toString());
        }
    }
}
