package dev.genq.api.auth;

import java.util.UUID;

/** The authenticated account of a /v1 request; controllers take it as a request attribute. */
public record Caller(UUID accountId) {
    public static final String ATTRIBUTE = "genq.caller";
}
