package dev.genq.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.genq.provider.fal.FalQueueProvider;
import dev.genq.provider.fal.FalWebhookKeys;
import dev.genq.provider.openai.OpenAiImagesProvider;
import dev.genq.provider.replicate.ReplicateProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapters against the vendors' own documented examples (src/test/resources/vendors), not
 * against genq's emulators: each builds a request of the documented shape and reads the documented
 * answers. A server on loopback plays the vendor, answering each path with its recorded example.
 */
class VendorFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Vendor vendor = new Vendor();

    @AfterEach
    void stop() {
        vendor.server.stop(0);
    }

    @Test
    void openAiGptImageRequestsAreTheDocumentedShapeAndItsAnswerIsRead() throws Exception {
        vendor.answer("POST /v1/images/generations", 200, "openai/generate.response.json");
        JsonNode documented = fixture("openai/generate.request.json");

        TaskState state = new OpenAiImagesProvider(http(ProviderType.openai)).submit(request("gpt-image-1", documented, 1)).state();

        assertThat(shape(vendor.body("POST /v1/images/generations"))).isEqualTo(shape(documented));
        assertThat(state).isInstanceOfSatisfying(TaskState.Done.class, d -> {
            assertThat(d.result().outputs()).singleElement().satisfies(o -> assertThat(o.contentType()).isEqualTo("image/png"));
        });
    }

    @Test
    void openAiDallERequestsAskForLinksWhenTheRouteSaysSoAndTheLinkIsTheOutput() throws Exception {
        vendor.answer("POST /v1/images/generations", 200, "openai/generate-dall-e-3.response.json");
        JsonNode documented = fixture("openai/generate-dall-e-3.request.json");
        ProviderRequest request = new ProviderRequest(UUID.randomUUID(), "dall-e-3", inputsOf(documented), 1, null, Map.of("responseFormat", "url"));

        TaskState state = new OpenAiImagesProvider(http(ProviderType.openai)).submit(request).state();

        assertThat(shape(vendor.body("POST /v1/images/generations"))).isEqualTo(shape(documented));
        assertThat(state).isInstanceOfSatisfying(TaskState.Done.class, d -> assertThat(d.result().outputs().getFirst().url())
            .hasHost("oaidalleapiprodscus.blob.core.windows.net"));
    }

    @Test
    void replicateCreatesAreTheDocumentedShapeAndBothDocumentedOutputsAreRead() throws Exception {
        String create = "POST /v1/models/black-forest-labs/flux-schnell/predictions";
        vendor.answer(create, 201, "replicate/create.response.json");
        vendor.answer("GET /v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu", 200, "replicate/get-succeeded.response.json");
        JsonNode documented = fixture("replicate/create.request.json");
        ReplicateProvider replicate = new ReplicateProvider(http(ProviderType.replicate), Clock.systemUTC());
        ProviderRequest request = new ProviderRequest(UUID.randomUUID(), "black-forest-labs/flux-schnell", inputsOf(documented.get("input")), 1,
            documented.get("webhook").asText(), Map.of());

        Submission submission = replicate.submit(request);
        TaskState done = replicate.check(new TaskRef(submission.taskId(), request.model(), 1, Map.of()));

        assertThat(shape(vendor.body(create))).isEqualTo(shape(documented));
        assertThat(submission.taskId()).isEqualTo("gm3qorzdhgbfurvjtvhg6dckhu");
        assertThat(submission.state()).isInstanceOf(TaskState.Running.class);
        assertThat(done).isInstanceOfSatisfying(TaskState.Done.class, d -> assertThat(d.result().outputs().getFirst().url())
            .hasHost("replicate.delivery"));
        vendor.answer("GET /v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu", 200, "replicate/get-hello-world.response.json");
        assertThat(replicate.check(new TaskRef(submission.taskId(), request.model(), 1, Map.of())))
            .isInstanceOfSatisfying(TaskState.Done.class, d -> assertThat(new String(d.result().outputs().getFirst().inline(),
                StandardCharsets.UTF_8)).isEqualTo("hello Alice"));
    }

    @Test
    void falSubmitsAreTheDocumentedShapeAndAQueuedThenCompletedRequestIsRead() throws Exception {
        vendor.answer("POST /fal-ai/flux/dev", 200, "fal/submit.response.json");
        String requests = "/fal-ai/flux/requests/80e732af-660e-45cd-bd63-580e4f2a94cc";
        vendor.answer("GET " + requests + "/status", 202, "fal/status-in-queue.response.json");
        vendor.answer("GET " + requests, 200, "fal/result.response.json");
        JsonNode documented = fixture("fal/submit.request.json");
        FalQueueProvider fal = new FalQueueProvider(http(ProviderType.fal), new FalWebhookKeys(Clock.systemUTC()), Clock.systemUTC());

        Submission submission = fal.submit(request("fal-ai/flux/dev", documented, 1));
        TaskRef task = new TaskRef(submission.taskId(), "fal-ai/flux/dev", 1, Map.of());
        TaskState queued = fal.check(task);
        vendor.answer("GET " + requests + "/status", 200, "fal/status-completed.response.json");
        TaskState done = fal.check(task);

        assertThat(shape(vendor.body("POST /fal-ai/flux/dev"))).isEqualTo(shape(documented));
        assertThat(queued).isInstanceOfSatisfying(TaskState.Running.class, r -> assertThat(r.queuePosition()).isZero());
        assertThat(done).isInstanceOfSatisfying(TaskState.Done.class, d -> assertThat(d.result().outputs()).singleElement()
            .satisfies(o -> assertThat(o.contentType()).isEqualTo("image/jpeg")));
    }

    @Test
    void aFalRequestThatFailedIsReadFromItsResultAsTheDocumentedError() throws Exception {
        String requests = "/fal-ai/flux/requests/80e732af-660e-45cd-bd63-580e4f2a94cc";
        vendor.answer("GET " + requests + "/status", 200, "fal/status-completed.response.json");
        vendor.answer("GET " + requests, 422, "fal/result-validation-error.response.json");
        FalQueueProvider fal = new FalQueueProvider(http(ProviderType.fal), new FalWebhookKeys(Clock.systemUTC()), Clock.systemUTC());

        TaskState failed = fal.check(new TaskRef("80e732af-660e-45cd-bd63-580e4f2a94cc", "fal-ai/flux/dev", 1, Map.of()));

        assertThat(failed).isInstanceOfSatisfying(TaskState.Failed.class, f -> {
            assertThat(f.error().code()).isEqualTo("value_error.missing");
            assertThat(f.error().retryable()).isFalse();
            assertThat(f.error().getMessage()).contains("field required");
        });
    }

    private VendorHttp http(ProviderType type) {
        return AdapterContractSupport.vendorHttp(type, "http://127.0.0.1:" + vendor.server.getAddress().getPort(), "fixture-key");
    }

    private static ProviderRequest request(String model, JsonNode documented, int units) {
        return new ProviderRequest(UUID.randomUUID(), model, inputsOf(documented), units, null, Map.of());
    }

    /** The documented body less what genq adds itself (model, n, response_format): the user's inputs. */
    private static Map<String, Object> inputsOf(JsonNode documented) {
        ObjectNode inputs = documented.deepCopy();
        inputs.remove(List.of("model", "n", "response_format"));
        return JSON.convertValue(inputs, JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    /** A JSON value with every leaf replaced by its type: two bodies of one shape compare equal. */
    private static JsonNode shape(JsonNode node) {
        if (node.isObject()) {
            ObjectNode shaped = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                shaped.set(field.getKey(), shape(field.getValue()));
            }
            return shaped;
        }
        if (node.isArray()) {
            var shaped = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> shaped.add(shape(item)));
            return shaped;
        }
        return JsonNodeFactory.instance.textNode(node.getNodeType().name());
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(fixtureText(name));
    }

    private static String fixtureText(String name) {
        try (InputStream in = VendorFixturesTest.class.getResourceAsStream("/vendors/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The vendor, played on loopback: each "METHOD /path" answers its fixture, and what was sent is kept. */
    private static final class Vendor {
        final HttpServer server;
        private final Map<String, Map.Entry<Integer, String>> answers = new ConcurrentHashMap<>();
        private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();

        Vendor() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", this::serve);
            server.start();
        }

        void answer(String route, int status, String fixture) {
            answers.put(route, Map.entry(status, fixtureText(fixture)));
        }

        JsonNode body(String route) throws IOException {
            List<String> sent = bodies.get(route);
            assertThat(sent).as("requests to %s", route).isNotEmpty();
            return JSON.readTree(sent.getLast());
        }

        private void serve(HttpExchange exchange) throws IOException {
            try (exchange) {
                String route = exchange.getRequestMethod() + " " + URI.create(exchange.getRequestURI().getPath()).getPath();
                bodies.computeIfAbsent(route, k -> new CopyOnWriteArrayList<>())
                    .add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                Map.Entry<Integer, String> answer = answers.get(route);
                byte[] body = (answer == null ? "{\"detail\":\"no fixture for " + route + "\"}" : answer.getValue()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer == null ? 404 : answer.getKey(), body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }
}
