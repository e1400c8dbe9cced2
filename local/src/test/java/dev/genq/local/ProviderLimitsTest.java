package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A provider account's cap holds across every worker of the cluster, and waiting for a permit fails nothing. */
class ProviderLimitsTest extends EndToEndTest {

    @Test
    void threeWorkersNeverRunMoreTasksAtTheVendorThanTheAccountAllows() throws Exception {
        List<ApplicationContext> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                workers.add(Application.startManaged(Set.of("worker"), stack.propertiesForAnotherNode(TestServices.freePort())));
            }
            Api.Account account = api.newAccount(100);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(api.submitted(account, "emu-text-capped", "{\"prompt\":\"[latency=1500] capped " + i + "\"}"));
            }

            for (String id : ids) {
                assertThat(api.awaitEnd(account, id, END).path("status").asText()).isEqualTo("SUCCEEDED");
            }

            assertThat(stack.emulator.peakConcurrency(GenqStack.CAPPED_KEY))
                .isPositive().isLessThanOrEqualTo(GenqStack.CAPPED_CONCURRENCY);
            assertThat(api.balance(account)).isEqualTo(100 - ids.size());
        } finally {
            workers.forEach(ApplicationContext::close);
        }
    }
}
