package dev.genq.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.devkit.emulator.VendorEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.client.HttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every adapter promises, run against its vendor's emulator over real HTTP: tasks run to their
 * end, and every failure is classified the same way (retryable or not, the route's fault or the
 * request's, started or not), whatever the wire format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AdapterContractSupport<E extends VendorEmulator> {
    /** Answers held back by {@code [timeout]} arrive well after the adapter's request timeout. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    private static final AtomicInteger PROMPTS = new AtomicInteger();
    protected static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();

    private final ProviderType type;
    private final String model;
    private final boolean idempotent;
    /** The emulator of this vendor, started once per test class, accepting {@link #KEY}. */
    protected E emulator;

    /**
     * @param model      the vendor-side model the requests name
     * @param idempotent whether a resent submit finds the first task (the vendor takes an idempotency key)
     */
    protected AdapterContractSupport(ProviderType type, String model, boolean idempotent) {
        this.type = type;
        this.model = model;
        this.idempotent = idempotent;
    }

    protected abstract E newEmulator() throws IOException;

    /** The adapter under test, as {@link Providers} builds it. */
    protected abstract Provider adapter(VendorHttp http);

    @BeforeAll
    void startEmulator() throws IOException {
        emulator = newEmulator();
        emulator.acceptKey(KEY);
    }

    @AfterAll
    void stopEmulator() {
        emulator.close();
    }

    protected ProviderType type() {
        return type;
    }

    protected String model() {
        return model;
    }

    protected boolean idempotent() {
        return idempotent;
    }

    /** Whether the vendor answers a submit with the finished result. */
    protected boolean synchronous() {
        return false;
    }

    /** The base URL the account is configured with. */
    protected String baseUrl() {
        return emulator.baseUrl();
    }

    /** The marker the emulator counts a request's tasks by. */
    protected String marker(ProviderRequest request) {
        return String.valueOf(request.inputs().get(inputName()));
    }

    /** The input that carries the prompt (and the emulator's directives). */
    protected String inputName() {
        return "prompt";
    }

    protected Map<String, Object> options() {
        return Map.of();
    }

    protected static final String KEY = "contract-key";

    protected Provider provider(String key) {
        return adapter(vendorHttp(type(), baseUrl(), key));
    }

    /** An account of {@code type} at {@code baseUrl}, as a worker configures one, with short timeouts. */
    public static VendorHttp vendorHttp(ProviderType type, String baseUrl, String key) {
        ProviderConfig config = new ProviderConfig("contract-" + type);
        config.setType(type);
        config.setBaseUrl(baseUrl);
        config.setApiKey(key);
        config.setConnectTimeout(Duration.ofSeconds(2));
        config.setRequestTimeout(REQUEST_TIMEOUT);
        try {
            // Outside an application context the static client factory is the right one.
            return new VendorHttp(config, HttpClient.create(URI.create(baseUrl).toURL(), VendorHttp.clientConfiguration(config)).toBlocking(),
                METRICS);
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected ProviderRequest request(String directives) {
        String text = directives + " " + type() + "-" + PROMPTS.incrementAndGet() + (inputName().equals("link") ? " https://t.me/genq" : "");
        return new ProviderRequest(UUID.randomUUID(), model(), Map.of(inputName(), text), 1, null, options());
    }

    protected TaskState runToEnd(Provider provider, ProviderRequest request) throws Exception {
        Submission submission = provider.submit(request);
        return checkToEnd(provider, task(submission, request), submission.state());
    }

    /** Checks {@code task} until it ends, from the {@code state} last seen. */
    private static TaskState checkToEnd(Provider provider, TaskRef task, TaskState state) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (state instanceof TaskState.Running && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            try {
                state = provider.check(task);
            } catch (ProviderException e) {
                assertThat(e.retryable()).as("a failed check is worth asking again: %s", e.getMessage()).isTrue();
            }
        }
        return state;
    }

    protected TaskRef task(Submission submission, ProviderRequest request) {
        return new TaskRef(submission.taskId(), request.model(), request.units(), request.options());
    }

    @Nested
    class Tasks {
        @Test
        void aTaskRunsToItsEndWithOutputs() throws Exception {
            ProviderRequest request = request("[latency=400]");
            assertThat(runToEnd(provider(KEY), request)).isInstanceOfSatisfying(TaskState.Done.class,
                done -> assertThat(done.result().outputs().size() + (done.result().deliveredUnits() == null ? 0 : 1)).isPositive());
            assertThat(emulator.tasksStarted(marker(request))).isEqualTo(1);
        }

        @Test
        void aTaskTheVendorFailsIsAPermanentFailureOfTheRequest() throws Exception {
            ProviderRequest request = request("[fail]");
            try {
                TaskState end = runToEnd(provider(KEY), request);
                assertThat(end).isInstanceOfSatisfying(TaskState.Failed.class, f -> {
                    assertThat(f.error().retryable()).isFalse();
                    assertThat(f.error().routeFault()).isFalse();
                });
            } catch (ProviderException e) { // synchronous vendors refuse the finished task in the answer
                assertThat(synchronous()).isTrue();
                assertThat(e.retryable()).isFalse();
                assertThat(e.routeFault()).isFalse();
            }
        }

        @Test
        void aStatusAnswerThatIsNotJsonIsAskedAgain() throws Exception {
            Assumptions.assumeFalse(synchronous(), "a synchronous vendor is never polled");
            assertThat(runToEnd(provider(KEY), request("[latency=300] [garbled=2]"))).isInstanceOf(TaskState.Done.class);
        }
    }

    @Nested
    class SubmitFailures {
        @Test
        void aRefusedRequestIsPermanentAndNotTheRoutesFault() {
            assertThatThrownBy(() -> provider(KEY).submit(request("[reject]"))).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.routeFault()).isFalse();
            });
        }

        @Test
        void throttlingIsRetryableAfterTheVendorsWaitWithNothingStarted() {
            ProviderRequest request = request("[throttle=1]");
            assertThatThrownBy(() -> provider(KEY).submit(request)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.unstarted()).isTrue();
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            });
            assertThat(emulator.tasksStarted(marker(request))).isZero();
        }

        @Test
        void aServerErrorIsRetryableAndTheRoutesFault() {
            assertThatThrownBy(() -> provider(KEY).submit(request("[transient=1]"))).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.routeFault()).isTrue();
                assertThat(e.unstarted()).isTrue();
            });
        }

        @Test
        void aWrongKeyIsTheRoutesFaultSoTheNextRouteIsTried() {
            assertThatThrownBy(() -> provider("wrong-key").submit(request(""))).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.routeFault()).isTrue();
                assertThat(e.unstarted()).isTrue();
            });
        }

        @Test
        void anUnreachableVendorIsRetryableWithNothingStarted() {
            Provider provider = adapter(vendorHttp(type(), "http://127.0.0.1:1" + (baseUrl().contains("/api/") ? "/api/v2" : ""), KEY));
            assertThatThrownBy(() -> provider.submit(request(""))).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.unstarted()).isTrue();
            });
        }

        @Test
        void aCutConnectionIsResentOnlyWhereTheVendorRecognisesTheResend() throws Exception {
            assertUnknownFate("[reset=1]");
        }

        @Test
        void aLateAnswerIsResentOnlyWhereTheVendorRecognisesTheResend() throws Exception {
            emulator.stallFor(REQUEST_TIMEOUT.toMillis() + 1000);
            assertUnknownFate("[timeout=1] [latency=100]");
        }

        @Test
        void anAnswerThatIsNotJsonIsResentOnlyWhereTheVendorRecognisesTheResend() throws Exception {
            assertUnknownFate("[malformed=1]");
        }

        /** The vendor may have made the task: resend only if it would find it; never start a second. */
        private void assertUnknownFate(String directives) throws Exception {
            ProviderRequest request = request(directives);
            Provider provider = provider(KEY);
            assertThatThrownBy(() -> provider.submit(request)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.unstarted()).isFalse();
                assertThat(e.retryable()).isEqualTo(idempotent());
                if (!idempotent()) {
                    assertThat(e.code()).isEqualTo("provider_submit_unknown");
                }
            });
            if (idempotent()) {
                provider.submit(request);
            }
            Thread.sleep(200);
            assertThat(emulator.tasksStarted(marker(request))).isEqualTo(1);
        }
    }

    /** Whether the vendor can stop a task. */
    protected boolean cancels() {
        return !synchronous();
    }

    /** Whether the vendor's webhooks carry the task's state, so the adapter can take a task's success from one. */
    protected boolean webhooksCarryTheTask() {
        return false;
    }

    @Nested
    class WebhookReports {
        @Test
        void aWebhookThatReportsSuccessGivesWhatACheckGivesAndOneThatDoesNotGivesNothing() throws Exception {
            Started started = started("[latency=300]");
            Provider provider = started.provider();
            TaskRef task = started.task();
            assertThat(provider.reportedSuccess(task, webhookBody(started))).as("still running").isNull();

            TaskState checked = started.checkToEnd();
            String body = webhookBody(started);
            TaskState.Done reported = provider.reportedSuccess(task, body);

            assertThat(checked).isInstanceOf(TaskState.Done.class);
            assertThat(reported).isNotNull();
            assertThat(files(reported)).isEqualTo(files(checked)).isNotEmpty();
            assertThat(provider.reportedSuccess(new TaskRef("another-task", task.model(), task.units(), task.options()), body))
                .as("a body about another task").isNull();
            assertThat(provider.reportedSuccess(task, body.substring(0, body.length() / 2))).as("a body that is not JSON").isNull();
        }

        @Test
        void aWebhookThatReportsAFailureIsLeftToACheck() throws Exception {
            Started started = started("[fail]");
            assertThat(started.checkToEnd()).isInstanceOf(TaskState.Failed.class);

            assertThat(started.provider().reportedSuccess(started.task(), webhookBody(started))).isNull();
        }

        /** A task submitted at a vendor whose webhooks carry the task (the test is skipped elsewhere). */
        private Started started(String directives) throws Exception {
            Assumptions.assumeTrue(webhooksCarryTheTask(), "this vendor's webhooks carry no task state");
            Provider provider = provider(KEY);
            ProviderRequest request = request(directives);
            Submission submission = provider.submit(request);
            return new Started(provider, task(submission, request), submission.state(), marker(request));
        }

        /** The body the vendor's webhook of the task would carry now. */
        private String webhookBody(Started started) {
            return emulator.webhookBodyOf(started.marker());
        }

        private record Started(Provider provider, TaskRef task, TaskState submitted, String marker) {
            TaskState checkToEnd() throws Exception {
                return AdapterContractSupport.checkToEnd(provider, task, submitted);
            }
        }

        /** A finished task's files by where they are (without the link's expiry) and their type. */
        private static java.util.List<String> files(TaskState done) {
            return ((TaskState.Done) done).result().outputs().stream()
                .map(o -> URI.create(o.url().toString()).getPath() + " " + o.contentType()).toList();
        }
    }

    @Test
    void aCancelReachesTheVendor() throws Exception {
        Assumptions.assumeTrue(cancels(), "this vendor cannot stop a task");
        ProviderRequest request = request("[latency=60000]");
        Provider provider = provider(KEY);
        Submission submission = provider.submit(request);
        assertThat(provider.cancel(task(submission, request))).isTrue();
        assertThat(emulator.cancelled(marker(request))).isTrue();
    }

    @Test
    void aVendorThatRefusesToCancelIsToldApart() throws Exception {
        Assumptions.assumeTrue(cancels(), "this vendor cannot stop a task");
        ProviderRequest request = request("[latency=60000][nocancel]");
        Provider provider = provider(KEY);
        Submission submission = provider.submit(request);
        assertThat(provider.cancel(task(submission, request))).isFalse();
        assertThat(emulator.cancelled(marker(request))).isFalse();
        assertThat(emulator.cancelRequests(marker(request))).isEqualTo(1);
    }

    @Test
    void everyCallIsTimedByProviderOperationAndOutcome() throws Exception {
        provider(KEY).submit(request(""));
        assertThat(METRICS.find("genq.provider.call").tag("provider", "contract-" + type()).tag("operation", "submit")
            .tag("outcome", "ok").timer().count()).isPositive();
    }

    protected static Clock clock() {
        return Clock.systemUTC();
    }
}
