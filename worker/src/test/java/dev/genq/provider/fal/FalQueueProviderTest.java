package dev.genq.provider.fal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.emulator.FalEmulator;
import dev.genq.provider.AdapterContractSupport;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderType;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** fal's queue against its emulator: queue positions, results, and the contract. */
class FalQueueProviderTest extends AdapterContractSupport<FalEmulator> {
    FalQueueProviderTest() {
        super(ProviderType.fal, "fal-ai/flux/dev", false);
    }

    @Override
    protected FalEmulator newEmulator() throws IOException {
        return new FalEmulator(0, 300).serve(model());
    }

    @Override
    protected Provider adapter(VendorHttp http) {
        return new FalQueueProvider(http, new FalWebhookKeys(clock()), clock());
    }

    @Test
    void aQueuedRequestReportsItsPlaceInTheQueue() throws Exception {
        ProviderRequest request = request("[latency=3000]");
        Submission submission = provider(KEY).submit(request);
        assertThat(submission.state()).isInstanceOfSatisfying(TaskState.Running.class, r -> assertThat(r.queuePosition()).isEqualTo(2));
        assertThat(provider(KEY).check(task(submission, request))).isInstanceOfSatisfying(TaskState.Running.class,
            r -> assertThat(r.queuePosition()).isNotNull());
    }

    @Test
    void aCancelledRequestIsReadFromItsResultAsCancelled() throws Exception {
        ProviderRequest request = request("[latency=3000]");
        Submission submission = provider(KEY).submit(request);
        assertThat(provider(KEY).cancel(task(submission, request))).isTrue();

        assertThat(provider(KEY).check(task(submission, request))).isInstanceOfSatisfying(TaskState.Failed.class,
            f -> assertThat(f.error().code()).isEqualTo(dev.genq.provider.ProviderException.CANCELLED));
    }

    @Test
    void theAppOfAnEndpointIsItsOwnerAndName() {
        assertThat(FalQueueProvider.appId("fal-ai/flux/dev")).isEqualTo("fal-ai/flux");
        assertThat(FalQueueProvider.appId("fal-ai/fast-sdxl")).isEqualTo("fal-ai/fast-sdxl");
    }

    @Override
    protected boolean webhooksCarryTheTask() {
        return true;
    }
}
