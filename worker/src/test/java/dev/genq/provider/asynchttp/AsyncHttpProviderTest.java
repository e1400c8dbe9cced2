package dev.genq.provider.asynchttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.provider.ProviderConfig;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The async HTTP adapter against the emulator over real HTTP: results, and every failure classified. */
class AsyncHttpProviderTest {
    private static ProviderEmulator emulator;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    static void startEmulator() throws Exception {
        emulator = new ProviderEmulator(0, "key", 300);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Nested
    class Success {
        @Test
        void pollsUntilDoneReportingProgressAndReturnsTheOutputs() throws Exception {
            List<Integer> progress = new ArrayList<>();
            UUID id = UUID.randomUUID();

            ProviderResult result = provider(emulator.baseUrl(), "key").generate(request(id, "[latency=600] fox", 3), progress::add);

            assertThat(result.outputs()).hasSize(3);
            assertThat(result.deliveredUnits()).isEqualTo(3);
            assertThat(result.outputs().getFirst().contentType()).isEqualTo("image/png");
            assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p).isBetween(0, 100));
            assertThat(emulator.submits(id.toString())).isEqualTo(1);
        }

        @Test
        void aPartialDeliveryReportsTheUnitsDelivered() throws Exception {
            ProviderResult result = provider(emulator.baseUrl(), "key").generate(request(UUID.randomUUID(), "[deliver=2]", 4), p -> { });
            assertThat(result.deliveredUnits()).isEqualTo(2);
        }

        @Test
        void theGenerationIdIsTheIdempotencyKeySoARerunResumesTheSameTask() throws Exception {
            UUID id = UUID.randomUUID();
            provider(emulator.baseUrl(), "key").generate(request(id, "once", 1), p -> { });
            provider(emulator.baseUrl(), "key").generate(request(id, "once", 1), p -> { });
            assertThat(emulator.submits(id.toString())).isEqualTo(2);
            assertThat(emulator.tasksStarted(id.toString())).isEqualTo(1);
        }
    }

    @Nested
    class Classification {
        @Test
        void contentPolicyRejectionIsPermanent() {
            assertFailure("[reject]", false, "content_policy");
        }

        @Test
        void aFailedTaskIsPermanent() {
            assertFailure("[fail]", false, "content_policy");
        }

        @Test
        void serverErrorsAreRetryable() {
            assertFailure("[transient=1]", true, "unavailable");
        }

        @Test
        void throttlingIsRetryable() {
            assertFailure("[throttle=1]", true, "rate_limited");
        }

        @Test
        void aWrongCredentialIsPermanent() {
            assertThatThrownBy(() -> provider(emulator.baseUrl(), "wrong").generate(request(UUID.randomUUID(), "x", 1), p -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.code()).isEqualTo("unauthorized");
                });
        }

        @Test
        void anUnreachableProviderIsRetryable() {
            assertThatThrownBy(() -> provider("http://127.0.0.1:1", "key").generate(request(UUID.randomUUID(), "x", 1), p -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.code()).isEqualTo("provider_unreachable");
                });
        }

        @Test
        void aTaskPastItsDeadlineIsAPermanentTimeout() {
            ProviderConfig config = config(emulator.baseUrl(), "key");
            config.setDeadline(Duration.ofMillis(300));
            assertThatThrownBy(() -> new AsyncHttpProvider(config, metrics).generate(request(UUID.randomUUID(), "[latency=5000]", 1), p -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.code()).isEqualTo("provider_timeout");
                });
        }

        @Test
        void httpStatusesAreClassifiedOnce() {
            assertThat(ProviderException.fromStatus(500, null, "x").retryable()).isTrue();
            assertThat(ProviderException.fromStatus(503, null, "x").retryable()).isTrue();
            assertThat(ProviderException.fromStatus(429, null, "x").retryable()).isTrue();
            assertThat(ProviderException.fromStatus(408, null, "x").retryable()).isTrue();
            assertThat(ProviderException.fromStatus(400, null, "x").retryable()).isFalse();
            assertThat(ProviderException.fromStatus(404, null, "x").code()).isEqualTo("provider_http_404");
        }

        private void assertFailure(String prompt, boolean retryable, String code) {
            assertThatThrownBy(() -> provider(emulator.baseUrl(), "key").generate(request(UUID.randomUUID(), prompt, 1), p -> { }))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.code()).isEqualTo(code);
                });
        }
    }

    @Test
    void everyCallIsTimedByProviderOperationAndOutcome() throws Exception {
        provider(emulator.baseUrl(), "key").generate(request(UUID.randomUUID(), "timed", 1), p -> { });
        assertThat(metrics.find("genq.provider.call").tag("operation", "submit").tag("outcome", "ok").timer().count()).isEqualTo(1);
    }

    private AsyncHttpProvider provider(String baseUrl, String key) {
        return new AsyncHttpProvider(config(baseUrl, key), metrics);
    }

    private static ProviderConfig config(String baseUrl, String key) {
        ProviderConfig config = new ProviderConfig("emulator");
        config.setBaseUrl(baseUrl);
        config.setApiKey(key);
        config.setPollInterval(Duration.ofMillis(50));
        config.setConnectTimeout(Duration.ofSeconds(2));
        return config;
    }

    private static ProviderRequest request(UUID id, String prompt, int units) {
        return new ProviderRequest(id, "emu-image", Map.of("prompt", prompt), units);
    }
}
