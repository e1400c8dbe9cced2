package dev.genq.provider;

import java.util.Map;

/** A task at a vendor as genq recorded it, with what adapters need to ask about it again. */
public record TaskRef(String id, String model, int units, Map<String, Object> options) {
}
