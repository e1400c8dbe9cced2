package dev.genq.provider.asynchttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.provider.ProviderConfig;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.client.HttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The async HTTP adapter against the emulator over real HTTP: submit, check, cancel, and every failure classified. */
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
    class Tasks {
        @Test
        void aSubmittedTaskIsCheckedUntilDoneWithItsOutputs() throws Exception {
            UUID id = UUID.randomUUID();
            List<Integer> progress = new ArrayList<>();

            TaskState end = runToEnd(provider("key"), request(id, "[latency=600] fox", 3), progress);

            assertThat(end).isInstanceOfSatisfying(TaskState.Done.class, done -> {
                assertThat(done.result().outputs()).hasSize(3);
                assertThat(done.result().deliveredUnits()).isEqualTo(3);
                assertThat(done.result().outputs().getFirst().contentType()).isEqualTo("image/png");
            });
            assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p).isBetween(0, 100));
            assertThat(emulator.submits(id.toString())).isEqualTo(1);
        }

        @Test
        void aPartialDeliveryReportsTheUnitsDelivered() throws Exception {
            TaskState end = runToEnd(provider("key"), request(UUID.randomUUID(), "[deliver=2]", 4), new ArrayList<>());
            assertThat(end).isInstanceOfSatisfying(TaskState.Done.class, d -> assertThat(d.result().deliveredUnits()).isEqualTo(2));
        }

        @Test
        void theGenerationIdIsTheIdempotencyKeySoASecondSubmitFindsTheSameTask() throws Exception {
            UUID id = UUID.randomUUID();
            Submission first = provider("key").submit(request(id, "once", 1));
            Submission second = provider("key").submit(request(id, "once", 1));
            assertThat(second.taskId()).isEqualTo(first.taskId());
            assertThat(emulator.tasksStarted(id.toString())).isEqualTo(1);
        }

        @Test
        void aCancelledTaskEndsAsAPermanentFailure() throws Exception {
            UUID id = UUID.randomUUID();
            AsyncHttpProvider provider = provider("key");
            Submission submission = provider.submit(request(id, "[latency=60000] long", 1));

            provider.cancel(submission.taskId());

            assertThat(emulator.cancelled(id.toString())).isTrue();
            assertThat(provider.check(submission.taskId())).isInstanceOfSatisfying(TaskState.Failed.class, f -> {
                assertThat(f.error().retryable()).isFalse();
                assertThat(f.error().code()).isEqualTo("provider_cancelled");
            });
        }

        @Test
        void behaviourCanBeSetPerModel() {
            emulator.behave("emu-strict", new dev.genq.devkit.emulator.Behaviour(0, 0, 0, true, false, -1, 16, false, null));
            assertThatThrownBy(() -> provider("key").submit(new ProviderRequest(UUID.randomUUID(), "emu-strict", Map.of("prompt", "x"), 1, null)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code()).isEqualTo("content_policy"));
        }

        @Test
        void aTaskTheProviderFailsEndsAsAPermanentFailure() throws Exception {
            TaskState end = runToEnd(provider("key"), request(UUID.randomUUID(), "[fail]", 1), new ArrayList<>());
            assertThat(end).isInstanceOfSatisfying(TaskState.Failed.class, f -> {
                assertThat(f.error().retryable()).isFalse();
                assertThat(f.error().code()).isEqualTo("content_policy");
            });
        }
    }

    @Nested
    class SubmitFailures {
        @Test
        void contentPolicyRejectionIsPermanent() {
            assertSubmitFails(provider("key"), "[reject]", false, "content_policy");
        }

        @Test
        void serverErrorsAreRetryable() {
            assertSubmitFails(provider("key"), "[transient=1]", true, "unavailable");
        }

        @Test
        void throttlingIsRetryable() {
            assertSubmitFails(provider("key"), "[throttle=1]", true, "rate_limited");
        }

        @Test
        void aWrongCredentialIsPermanent() {
            assertSubmitFails(provider("wrong"), "x", false, "unauthorized");
        }

        @Test
        void anUnreachableProviderIsRetryable() {
            ProviderConfig config = config("key");
            config.setBaseUrl("http://127.0.0.1:1");
            assertSubmitFails(adapter(config), "x", true, "provider_unreachable");
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

        private void assertSubmitFails(AsyncHttpProvider provider, String prompt, boolean retryable, String code) {
            assertThatThrownBy(() -> provider.submit(request(UUID.randomUUID(), prompt, 1)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.code()).isEqualTo(code);
                });
        }
    }

    @Test
    void checksComeFasterForYoungTasksAndSlowerForOldOnes() {
        ProviderConfig config = config("key");
        config.setPollInterval(Duration.ofSeconds(1));
        config.setMaxPollInterval(Duration.ofSeconds(30));
        assertThat(config.nextCheckAfter(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.nextCheckAfter(Duration.ofSeconds(80))).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.nextCheckAfter(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyCallIsTimedByProviderOperationAndOutcome() throws Exception {
        provider("key").submit(request(UUID.randomUUID(), "timed", 1));
        assertThat(metrics.find("genq.provider.call").tag("operation", "submit").tag("outcome", "ok").timer().count()).isEqualTo(1);
    }

    private static TaskState runToEnd(AsyncHttpProvider provider, ProviderRequest request, List<Integer> progress) throws Exception {
        Submission submission = provider.submit(request);
        TaskState state = submission.state();
        while (state instanceof TaskState.Running running) {
            progress.add(running.progressPercent());
            Thread.sleep(50);
            state = provider.check(submission.taskId());
        }
        return state;
    }

    private AsyncHttpProvider provider(String key) {
        return adapter(config(key));
    }

    /** Outside an application context the static client factory is the right one. */
    private AsyncHttpProvider adapter(ProviderConfig config) {
        try {
            return new AsyncHttpProvider(config, HttpClient.create(URI.create(config.getBaseUrl()).toURL(),
                AsyncHttpProvider.clientConfiguration(config)), metrics);
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProviderConfig config(String key) {
        ProviderConfig config = new ProviderConfig("emulator");
        config.setBaseUrl(emulator.baseUrl());
        config.setApiKey(key);
        config.setConnectTimeout(Duration.ofSeconds(2));
        return config;
    }

    private static ProviderRequest request(UUID id, String prompt, int units) {
        return new ProviderRequest(id, "emu-image", Map.of("prompt", prompt), units, null);
    }
}
