package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.services.TestServices;
import dev.genq.local.Vendors.Vendor;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A provider account's cap holds across every worker of the cluster, and waiting for a permit fails nothing. */
class ProviderLimitsTest extends EndToEndTest {

    @Test
    void threeWorkersNeverRunMoreTasksAtTheVendorThanTheAccountAllows() throws Exception {
        withTwoMoreWorkers(() -> {
            Api.Account account = api.newAccount(100);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(api.submitted(account, "emu-text-capped", "{\"prompt\":\"[latency=1500] capped " + i + "\"}"));
            }
            awaitAllSucceeded(account, ids);
            assertThat(stack.emulator.peakConcurrency(GenqStack.CAPPED_KEY))
                .isPositive().isLessThanOrEqualTo(GenqStack.CAPPED_CONCURRENCY);
            assertThat(api.balance(account)).isEqualTo(100 - ids.size());
        });
    }

    @Test
    void everyVendorsCapHoldsWhileThreeWorkersRunItsTasks() throws Exception {
        withTwoMoreWorkers(() -> {
            Api.Account account = api.newAccount(10_000);
            stack.vendors.all.forEach(v -> v.emulator().resetPeak(Vendors.KEY));
            List<String> ids = new ArrayList<>();
            for (Vendor vendor : stack.vendors.all) {
                for (int i = 0; i < 3 * Vendors.CAP; i++) {
                    ids.add(api.submitted(account, vendor.model(), vendor.inputs("[latency=1200] capped " + vendor.name() + " " + UUID.randomUUID())));
                }
            }
            awaitAllSucceeded(account, ids);
            for (Vendor vendor : stack.vendors.all) {
                assertThat(vendor.emulator().peakConcurrency(Vendors.KEY)).as(vendor.name()).isPositive().isLessThanOrEqualTo(Vendors.CAP);
            }
        });
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} with two more worker processes sharing this stack's Redis and PostgreSQL. */
    private static void withTwoMoreWorkers(Work work) throws Exception {
        List<ApplicationContext> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                workers.add(Application.startManaged(Set.of("worker"), stack.propertiesForAnotherNode(TestServices.freePort())));
            }
            work.run();
        } finally {
            workers.forEach(ApplicationContext::close);
        }
    }

    private static void awaitAllSucceeded(Api.Account account, List<String> ids) throws InterruptedException {
        for (String id : ids) {
            assertThat(api.awaitEnd(account, id, END).path("status").asText()).isEqualTo("SUCCEEDED");
        }
    }
}
