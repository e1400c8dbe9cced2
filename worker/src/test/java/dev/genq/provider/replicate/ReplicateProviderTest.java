package dev.genq.provider.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.emulator.ReplicateEmulator;
import dev.genq.provider.AdapterContractSupport;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderType;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Replicate predictions against their emulator: models and pinned versions, expiring outputs, and the contract. */
class ReplicateProviderTest extends AdapterContractSupport<ReplicateEmulator> {
    ReplicateProviderTest() {
        super(ProviderType.replicate, "black-forest-labs/flux-schnell", false);
    }

    @Override
    protected ReplicateEmulator newEmulator() throws IOException {
        return new ReplicateEmulator(0, 200);
    }

    @Override
    protected Provider adapter(VendorHttp http) {
        return new ReplicateProvider(http, clock());
    }

    @Test
    void aPinnedVersionIsCreatedThroughThePredictionsEndpoint() throws Exception {
        emulator.version("5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa", "owner/model");
        ProviderRequest pinned = new ProviderRequest(UUID.randomUUID(), "owner/model:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
            Map.of("prompt", "pinned [latency=100]"), 1, null, Map.of());
        assertThat(runToEnd(provider(KEY), pinned)).isInstanceOf(TaskState.Done.class);
    }

    @Test
    void anExpiredOutputLinkIsRefusedByTheVendor() throws Exception {
        ProviderRequest request = request("[latency=100] [expired]");
        TaskState end = runToEnd(provider(KEY), request);
        assertThat(end).isInstanceOfSatisfying(TaskState.Done.class, d -> {
            int status = HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(d.result().outputs().getFirst().url()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).join().statusCode();
            assertThat(status).isEqualTo(403);
        });
    }

    @Test
    void anAbortedPredictionIsAFailureThatStartedNothing() throws Exception {
        assertThat(runToEnd(provider(KEY), request("[aborted] [latency=50]"))).isInstanceOfSatisfying(TaskState.Failed.class, f -> {
            assertThat(f.error().code()).isEqualTo("provider_aborted");
            assertThat(f.error().retryable()).isFalse();
        });
    }

    @Test
    void aStatusTheAdapterDoesNotKnowKeepsTheTaskRunningAndIsCounted() throws Exception {
        ProviderRequest request = request("[odd-status] [latency=50]");
        Submission submission = provider(KEY).submit(request);
        Thread.sleep(100);

        assertThat(provider(KEY).check(task(submission, request))).isInstanceOf(TaskState.Running.class);
        assertThat(provider(KEY).check(task(submission, request))).isInstanceOf(TaskState.Running.class);
        assertThat(METRICS.counter("genq.vendor.statuses.unknown", "provider", "contract-replicate", "status", "booting").count())
            .isGreaterThanOrEqualTo(2);
    }

    @Override
    protected boolean webhooksCarryTheTask() {
        return true;
    }
}
