package dev.genq.api.cors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.api.support.ApiRole;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured site's pages may call /v1 from a browser; no other site's, and never /admin. */
class CorsTest {
    private final ApiRole api = ApiRole.get();

    @Test
    void aConfiguredOriginsPreflightIsAnsweredWithoutAKeyAndItsAnswersNameIt() throws Exception {
        HttpResponse<String> preflight = api.send("OPTIONS", "/v1/generations", null, null,
            Map.of("Origin", ApiRole.ALLOWED_ORIGIN, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type, idempotency-key"));

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ApiRole.ALLOWED_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
            .contains("Authorization", "Idempotency-Key", "Last-Event-ID");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        HttpResponse<String> read = api.send("GET", "/v1/wallet", api.newAccount(1), null, Map.of("Origin", ApiRole.ALLOWED_ORIGIN));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ApiRole.ALLOWED_ORIGIN);
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("ETag", "Retry-After");
        HttpResponse<String> refused = api.send("GET", "/v1/wallet", "no-such-key", null, Map.of("Origin", ApiRole.ALLOWED_ORIGIN));
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).as("a page can read why it was refused")
            .hasValue(ApiRole.ALLOWED_ORIGIN);
    }

    @Test
    void anotherOriginGetsNothingAndTheAdminApiIsNeverCrossOrigin() throws Exception {
        HttpResponse<String> preflight = api.send("OPTIONS", "/v1/generations", null, null,
            Map.of("Origin", "http://localhost:6666", "Access-Control-Request-Method", "POST"));
        assertThat(ApiRole.error(preflight, 403)).isEqualTo("forbidden");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> read = api.send("GET", "/v1/wallet", api.newAccount(1), null, Map.of("Origin", "http://localhost:6666"));
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(read.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));

        HttpResponse<String> admin = api.send("OPTIONS", "/admin/v1/accounts", null, null,
            Map.of("Origin", ApiRole.ALLOWED_ORIGIN, "Access-Control-Request-Method", "GET"));
        assertThat(admin.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(admin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
