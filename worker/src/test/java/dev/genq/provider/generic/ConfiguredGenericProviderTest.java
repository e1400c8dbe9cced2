package dev.genq.provider.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.emulator.KlingStyleEmulator;
import dev.genq.provider.AdapterContractSupport;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderType;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generic adapter set up from catalog options for a vendor with its own shape (Kling's task
 * envelope): paths, field paths and status values all come from the route, not from code.
 */
class ConfiguredGenericProviderTest extends AdapterContractSupport<KlingStyleEmulator> {
    ConfiguredGenericProviderTest() {
        super(ProviderType.generic, "kling-v1", false);
    }

    @Override
    protected KlingStyleEmulator newEmulator() throws IOException {
        return new KlingStyleEmulator(0, 200);
    }

    @Override
    protected Provider adapter(VendorHttp http) {
        return new GenericHttpProvider(http, clock());
    }

    @Override
    protected boolean cancels() {
        return false;
    }

    @Override
    protected Map<String, Object> options() {
        return KlingStyleEmulator.ROUTE_OPTIONS;
    }

    @Test
    void theVideoIsFoundWhereTheRouteSaysAndTheFailureMessageToo() throws Exception {
        assertThat(runToEnd(provider(KEY), request("[latency=200]"))).isInstanceOfSatisfying(TaskState.Done.class,
            d -> assertThat(d.result().outputs().getFirst().url().getPath()).startsWith("/files/"));
        ProviderRequest failing = request("[fail]");
        assertThat(runToEnd(provider(KEY), failing)).isInstanceOfSatisfying(TaskState.Failed.class,
            f -> assertThat(f.error().getMessage()).contains("risk control"));
    }
}
