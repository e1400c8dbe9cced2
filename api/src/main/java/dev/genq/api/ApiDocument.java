package dev.genq.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * What the OpenAPI document says of genq as a whole; the routes, their parameters and bodies come
 * from the controllers themselves (micronaut-openapi, at compile time).
 */
@OpenAPIDefinition(
    info = @Info(title = "genq", version = "1",
        description = "Paid AI generation: price, hold the coins, queue, run at the vendor with retries, store, serve signed URLs;"
            + " a failed generation gets its coins back. /v1 takes an account API key or a browser token made from one; /admin a"
            + " person's admin key. Every error has one shape, error.code (a stable code, listed in ErrorBody) and error.message."),
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
    description = "an account API key (gq_…), a browser token (POST /v1/tokens), or under /admin a person's admin key (gqa_…)")
final class ApiDocument {
    private ApiDocument() {
    }
}
