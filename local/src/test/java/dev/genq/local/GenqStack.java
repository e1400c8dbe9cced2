package dev.genq.local;

import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.devkit.services.Shutdown;
import dev.genq.devkit.services.TestServices;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.util.Map;

/**
 * One running genq per test JVM, all roles, on the real servers {@link TestServices} finds and the
 * provider emulator over HTTP. Settings shorten waits (1 s retry backoff, 5 s presigned URLs) and
 * sizes: 5 MiB upload parts (S3's least) and outputs up to 12 MiB, so a large output crosses parts.
 */
public final class GenqStack {
    static final String ADMIN_KEY = "test-admin-key";
    static final String DASHBOARD_PASSWORD = "test-dashboard-password";
    static final int URL_TTL_SECONDS = 5;
    static final int MAX_ATTEMPTS = 3;
    static final int PART_SIZE_BYTES = 5 * 1024 * 1024;
    static final int MAX_OUTPUT_BYTES = 12 * 1024 * 1024;
    static final String IPN_SECRET = "test-ipn-secret";
    /** A second account at the same emulator, capped cluster-wide; model emu-text-capped runs on it. */
    static final String CAPPED_KEY = "emulator-capped-key";
    static final String WEBHOOK_SECRET = Wiring.EMULATOR_WEBHOOK_SECRET;
    static final int CAPPED_CONCURRENCY = 3;
    /** Few JobRunr workers on purpose: waiting on vendors must not need one each. */
    static final int JOBRUNR_WORKERS = 4;

    /** The failover model's broken primary opens after this many calls; the fault matrix never gets near 90% failures. */
    static final int BREAKER_MINIMUM_CALLS = 8;

    /** An image model whose terms keep a fee when the vendor's content policy refuses the prompt. */
    static final String FEE_MODEL = "emu-image-fee";
    static final int FEE_COINS = 3;

    private static GenqStack instance;

    final ProviderEmulator emulator;
    final Vendors vendors;
    final Gateways gateways;
    final ApplicationContext context;
    final Api api;
    final int dashboardPort;
    private final Map<String, Object> properties;

    private GenqStack() throws IOException {
        emulator = new ProviderEmulator(0, "emulator-test-key", 300);
        Shutdown.register(emulator);
        gateways = new Gateways();
        dashboardPort = TestServices.freePort();
        Wiring wiring = new Wiring(TestServices.postgres(), TestServices.redis(), TestServices.s3(),
            emulator.baseUrl(), emulator.apiKey(), ADMIN_KEY, TestServices.freePort(), dashboardPort, DASHBOARD_PASSWORD);
        emulator.acceptKey(CAPPED_KEY);
        emulator.webhookSecret(emulator.apiKey(), Wiring.EMULATOR_WEBHOOK_SECRET);
        properties = new java.util.HashMap<>(wiring.properties());
        vendors = new Vendors(emulator);
        vendors.configure(properties);
        properties.put("genq.routing.breaker.minimum-calls", BREAKER_MINIMUM_CALLS);
        properties.put("genq.routing.breaker.failure-ratio", 0.9);
        properties.put("genq.catalog.path", catalogWithCappedModel().toString());
        properties.put("genq.providers.emulator-capped.base-url", emulator.baseUrl());
        properties.put("genq.providers.emulator-capped.api-key", CAPPED_KEY);
        properties.put("genq.providers.emulator-capped.poll-interval", "200ms");
        properties.put("genq.providers.emulator-capped.webhook-poll-interval", "1s");
        properties.put("genq.providers.emulator-capped.max-concurrency", CAPPED_CONCURRENCY);
        properties.put("genq.s3.bucket", "genq-test");
        // the tests drive accounts far harder than a customer may; LimitsTest (api) covers the limits
        properties.put("genq.limits.key-requests-per-second", 100_000);
        properties.put("genq.limits.account-requests-per-second", 100_000);
        properties.put("genq.limits.account-generations-in-flight", 100_000);
        properties.put("genq.limits.key-generations-in-flight", 100_000);
        properties.put("genq.webhooks.allow-loopback", true); // the tests' webhook receivers listen on loopback
        properties.put("genq.s3.url-ttl", URL_TTL_SECONDS + "s");
        properties.put("genq.worker.retry.backoff-seed-seconds", 1);
        properties.put("genq.worker.retry.max-attempts", MAX_ATTEMPTS);
        properties.put("genq.maintenance.requeue-grace", "0s");
        properties.put("genq.s3.part-size-bytes", PART_SIZE_BYTES);
        properties.put("genq.s3.max-object-bytes", MAX_OUTPUT_BYTES);
        gateways.configure(properties);
        properties.put("genq.catalog.price-refresh", "0s");
        properties.put("genq.metrics.refresh", "200ms");
        properties.put("micronaut.lifecycle.graceful-shutdown.grace-period", "5s");
        properties.put("genq.queue.worker-count", JOBRUNR_WORKERS);
        context = Application.startManaged(Application.ALL_ROLES, properties);
        Shutdown.register(context);
        api = new Api("http://127.0.0.1:" + wiring.httpPort());
        gateways.notifyTo(api.base());
    }

    public static synchronized GenqStack get() {
        if (instance == null) {
            try {
                instance = new GenqStack();
            } catch (IOException e) {
                throw new IllegalStateException("could not start genq for tests", e);
            }
        }
        return instance;
    }

    /** The settings of this stack for another genq process (a second worker, say) on {@code httpPort}. */
    Map<String, Object> propertiesForAnotherNode(int httpPort) {
        Map<String, Object> copy = new java.util.HashMap<>(properties);
        copy.put("micronaut.server.port", httpPort);
        return copy;
    }

    /** The built-in catalog plus emu-text-capped, a text model on the capped account. */
    private static java.nio.file.Path catalogWithCappedModel() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode catalog;
        try (var in = GenqStack.class.getResourceAsStream("/catalog/default.json")) {
            catalog = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
        }
        com.fasterxml.jackson.databind.node.ObjectNode capped = catalog.withArray("models").addObject();
        capped.put("id", "emu-text-capped").put("kind", "text").put("provider", "emulator-capped").put("coinsPerUnit", 1);
        capped.putObject("inputs").putObject("prompt").put("type", "string").put("required", true);
        com.fasterxml.jackson.databind.node.ObjectNode matrix = catalog.withArray("models").addObject();
        matrix.put("id", "generic-image").put("kind", "image").put("provider", "generic").put("coinsPerUnit", 10);
        matrix.putObject("inputs").putObject("prompt").put("type", "string").put("required", true);
        com.fasterxml.jackson.databind.node.ObjectNode once = catalog.withArray("models").addObject();
        once.put("id", "emu-text-once").put("kind", "text").put("provider", "emulator").put("coinsPerUnit", 1).put("maxAttempts", 1);
        once.putObject("inputs").putObject("prompt").put("type", "string").put("required", true);
        com.fasterxml.jackson.databind.node.ObjectNode fee = catalog.withArray("models").addObject();
        fee.put("id", FEE_MODEL).put("kind", "image").put("provider", "emulator").put("coinsPerUnit", 10);
        fee.putObject("failureFees").put("content_policy", FEE_COINS);
        fee.putObject("inputs").putObject("prompt").put("type", "string").put("required", true);
        Vendors.addModels(catalog.withArray("models"), json);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("genq-test-catalog", ".json");
        json.writeValue(file.toFile(), catalog);
        file.toFile().deleteOnExit();
        return file;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(Class<T> type, String name) {
        return context.getBean(type, io.micronaut.inject.qualifiers.Qualifiers.byName(name));
    }
}
