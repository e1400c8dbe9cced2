package dev.genq.provider.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.provider.AdapterContractSupport;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderConfig;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderType;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The generic adapter with its defaults: genq's own protocol, with the generation id as Idempotency-Key. */
class GenericHttpProviderTest extends AdapterContractSupport<ProviderEmulator> {
    GenericHttpProviderTest() {
        super(ProviderType.generic, "emu-image", true);
    }

    @Override
    protected ProviderEmulator newEmulator() throws IOException {
        return new ProviderEmulator(0, KEY, 200);
    }

    @Override
    protected Provider adapter(VendorHttp http) {
        return new GenericHttpProvider(http, clock());
    }

    @Override
    protected String marker(ProviderRequest request) {
        return request.generationId().toString();
    }

    @Test
    void theGenerationIdIsTheIdempotencyKeySoASecondSubmitFindsTheSameTask() throws Exception {
        ProviderRequest request = request("once");
        Submission first = provider(KEY).submit(request);
        Submission second = provider(KEY).submit(request);
        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(emulator.tasksStarted(marker(request))).isEqualTo(1);
    }

    @Test
    void anImageModelReportsNoUnitsItselfSoTheOutputsAreCounted() throws Exception {
        ProviderRequest request = new ProviderRequest(UUID.randomUUID(), "emu-image",
            java.util.Map.of("prompt", "[deliver=2] [latency=200]"), 4, null, options());
        assertThat(runToEnd(provider(KEY), request)).isInstanceOfSatisfying(TaskState.Done.class, d -> {
            assertThat(d.result().outputs()).hasSize(2);
            assertThat(d.result().deliveredUnits()).isNull();
        });
    }

    @Test
    void checksComeFasterForYoungTasksAndSlowerForOldOnes() {
        ProviderConfig config = new ProviderConfig("cadence");
        config.setPollInterval(Duration.ofSeconds(1));
        config.setMaxPollInterval(Duration.ofSeconds(30));
        assertThat(config.nextCheckAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.nextCheckAfter(Duration.ofSeconds(80))).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.nextCheckAfter(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
    }

    @Override
    protected boolean webhooksCarryTheTask() {
        return true;
    }
}
