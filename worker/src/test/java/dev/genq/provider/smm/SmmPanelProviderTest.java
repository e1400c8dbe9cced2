package dev.genq.provider.smm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.devkit.emulator.SmmPanelEmulator;
import dev.genq.provider.AdapterContractSupport;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderType;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An SMM panel (API v2) against its emulator: orders, Partial with remains, refusals, and the contract. */
class SmmPanelProviderTest extends AdapterContractSupport<SmmPanelEmulator> {
    SmmPanelProviderTest() {
        super(ProviderType.smm, "1042", false);
    }

    @Override
    protected SmmPanelEmulator newEmulator() throws IOException {
        return new SmmPanelEmulator(0, 200);
    }

    @Override
    protected Provider adapter(VendorHttp http) {
        return new SmmPanelProvider(http);
    }

    @Override
    protected String baseUrl() {
        return emulator.apiUrl();
    }

    @Override
    protected String inputName() {
        return "link";
    }

    @Test
    void aPartialOrderDeliversOnlyWhatWasNotLeftOver() throws Exception {
        ProviderRequest order = new ProviderRequest(UUID.randomUUID(), model(), Map.of("link", "https://t.me/partial [remains=30] [latency=200]"),
            100, null, Map.of());
        assertThat(runToEnd(provider(KEY), order)).isInstanceOfSatisfying(TaskState.Done.class, d -> {
            assertThat(d.result().deliveredUnits()).isEqualTo(70);
            assertThat(d.result().outputs()).isEmpty();
        });
    }

    @Test
    void aCompletedOrderDeliversEverything() throws Exception {
        ProviderRequest order = new ProviderRequest(UUID.randomUUID(), model(), Map.of("link", "https://t.me/full [latency=200]"),
            100, null, Map.of());
        assertThat(runToEnd(provider(KEY), order)).isInstanceOfSatisfying(TaskState.Done.class,
            d -> assertThat(d.result().deliveredUnits()).isEqualTo(100));
    }

    @Test
    void aPanelWithoutFundsIsTheRoutesFault() {
        assertThatThrownBy(() -> provider(KEY).submit(request("[nofunds]"))).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.routeFault()).isTrue();
            assertThat(e.unstarted()).isTrue();
            assertThat(e.code()).isEqualTo("provider_insufficient_funds");
        });
    }

    @Test
    void theBalanceIsReadAsThePanelStatesIt() throws Exception {
        assertThat(((SmmPanelProvider) provider(KEY)).balance()).isEqualTo("100.84292 USD");
    }
}
