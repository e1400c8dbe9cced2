package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.Test;

/** One image, three deployments: each role starts only its own parts, and all serve metrics and health. */
class RolesTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aWorkerRunsJobsAndServesNoApi() throws Exception {
        GenqStack.get(); // the database exists and is migrated
        int port = TestServices.freePort();
        try (ApplicationContext worker = Application.startManaged(Set.of("worker"), GenqStack.get().propertiesForAnotherNode(port))) {
            assertThat(worker.containsBean(BackgroundJobServer.class)).isTrue();
            assertThat(status(port, "/v1/models")).isEqualTo(404);
            assertThat(status(port, "/prometheus")).isEqualTo(200);
            assertThat(status(port, "/health")).isEqualTo(200);
        }
    }

    @Test
    void anApiNodeServesTheApiAndRunsNoJobs() throws Exception {
        GenqStack stack = GenqStack.get();
        Api.Account account = stack.api.newAccount(0);
        int port = TestServices.freePort();
        try (ApplicationContext apiNode = Application.startManaged(Set.of("api"), GenqStack.get().propertiesForAnotherNode(port))) {
            assertThat(apiNode.containsBean(BackgroundJobServer.class)).isFalse();
            assertThat(new Api("http://127.0.0.1:" + port).get("/v1/models", account.key()).status()).isEqualTo(200);
            assertThat(status(port, "/prometheus")).isEqualTo(200);
        }
    }

    private int status(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
