package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Routes: failover past a broken primary, and its breaker as admins and metrics see it. */
class RouteFailoverTest extends EndToEndTest {

    @Test
    void aBrokenPrimaryFailsOverToTheNextRouteUntilItsBreakerOpensAndAdminsSeeIt() throws Exception {
        Api.Account account = api.newAccount(100);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < GenqStack.BREAKER_MINIMUM_CALLS + 2; i++) {
            ids.add(api.submitted(account, Vendors.FAILOVER_MODEL, "{\"prompt\":\"failover " + i + "\"}"));
        }
        for (String id : ids) {
            assertThat(api.awaitEnd(account, id, END).path("status").asText()).isEqualTo("SUCCEEDED");
        }
        assertThat(api.balance(account)).isEqualTo(100 - ids.size());

        JsonNode broken = route("failover-text/broken");
        assertThat(broken.path("state").asText()).isEqualTo("open");
        assertThat(broken.path("windowFailures").asLong()).isGreaterThanOrEqualTo(GenqStack.BREAKER_MINIMUM_CALLS);
        assertThat(broken.path("priority").asInt()).isZero();
        assertThat(route("failover-text/emulator").path("state").asText()).isEqualTo("closed");
        MeterRegistry metrics = stack.bean(MeterRegistry.class);
        assertThat(metrics.get("genq.route.state").tag("route", "failover-text/broken").gauge().value()).isEqualTo(2.0);

        String whileOpen = api.submitted(account, Vendors.FAILOVER_MODEL, "{\"prompt\":\"while open\"}");
        assertThat(api.awaitEnd(account, whileOpen, END).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(metrics.get("genq.route.calls").tag("route", "failover-text/broken").tag("outcome", "refused").counter().count())
            .as("calls the open breaker kept from the broken route").isPositive();

        Api.Response reset = api.post("/admin/v1/routes/" + Vendors.FAILOVER_MODEL + "/broken/reset", api.admin("ops@test"), "");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.body().path("state").asText()).isEqualTo("closed");
    }

    @Test
    void routeHealthIsForAdminsOnly() {
        assertThat(api.get("/admin/v1/routes", api.newAccount(0).key()).status()).isIn(401, 403);
    }

    private static JsonNode route(String id) {
        JsonNode routes = api.get("/admin/v1/routes", GenqStack.ADMIN_KEY).body();
        return StreamSupport.stream(routes.spliterator(), false).filter(r -> r.path("route").asText().equals(id)).findFirst()
            .orElseThrow(() -> new AssertionError("no route " + id + " in " + routes));
    }
}
