package dev.genq.api.auth;

import dev.genq.account.Scope;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a /v1 route needs. Every /v1 route carries one (ArchitectureTest checks it); a route
 * without it is refused, not opened.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Scoped {
    Scope value();

    /** False for what only a customer's backend may do with its key (manage keys, make tokens). */
    boolean browserTokens() default true;

    /**
     * True where a browser cannot send headers (EventSource): a browser token may come as the
     * {@code access_token} query parameter. Never an API key: keys in URLs end up in logs.
     */
    boolean tokenInQuery() default false;
}
