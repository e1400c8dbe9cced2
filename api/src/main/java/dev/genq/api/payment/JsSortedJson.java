package dev.genq.api.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.infra.JsonTrees;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The text NOWPayments signs: the body with object keys sorted, as JavaScript's
 * {@code JSON.stringify} writes it (numbers as JS doubles print, no spaces).
 */
final class JsSortedJson {
    private static final ObjectMapper JSON = JsonTrees.MAPPER;

    private JsSortedJson() {
    }

    static String of(String body) throws IOException {
        StringBuilder out = new StringBuilder(body.length());
        write(JSON.readTree(body), out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(JSON.writeValueAsString(names.get(i))).append(':');
                write(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> items = node.elements();
            for (int i = 0; items.hasNext(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(items.next(), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(jsNumber(node.asDouble()));
        } else {
            out.append(JSON.writeValueAsString(node));
        }
    }

    /**
     * Number.prototype.toString for a double: shortest digits, exponent form outside [1e-6, 1e21);
     * a number too large for a double ({@code 1e999} parses as Infinity) is written {@code null}, as
     * {@code JSON.stringify} writes Infinity.
     */
    static String jsNumber(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int k = digits.length();
        int n = k - d.scale();
        String sign = value < 0 ? "-" : "";
        if (k <= n && n <= 21) {
            return sign + digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return sign + digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return sign + "0." + "0".repeat(-n) + digits;
        }
        String exponent = (n - 1 >= 0 ? "+" : "-") + Math.abs(n - 1);
        return sign + digits.charAt(0) + (k > 1 ? "." + digits.substring(1) : "") + "e" + exponent;
    }
}
