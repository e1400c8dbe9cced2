package dev.genq.local;

import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.devkit.payments.NowPaymentsEmulator;
import dev.genq.devkit.payments.YooKassaEmulator;
import dev.genq.devkit.services.Shutdown;
import dev.genq.devkit.services.TestServices;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.util.Map;

/**
 * One running genq per test JVM, all roles, on the real servers {@link TestServices} finds and the
 * provider emulator over HTTP. Settings shorten waits: 1 s retry backoff, 5 s presigned URLs, 64 KiB outputs.
 */
final class GenqStack {
    static final String ADMIN_KEY = "test-admin-key";
    static final String DASHBOARD_PASSWORD = "test-dashboard-password";
    static final int URL_TTL_SECONDS = 5;
    static final int MAX_ATTEMPTS = 3;
    static final int MAX_OUTPUT_BYTES = 64 * 1024;
    static final String IPN_SECRET = "test-ipn-secret";
    /** Few JobRunr workers on purpose: waiting on vendors must not need one each. */
    static final int JOBRUNR_WORKERS = 4;

    private static GenqStack instance;

    final ProviderEmulator emulator;
    final YooKassaEmulator yookassa;
    final NowPaymentsEmulator nowpayments = new NowPaymentsEmulator(IPN_SECRET);
    final ApplicationContext context;
    final Api api;
    final int dashboardPort;

    private GenqStack() throws IOException {
        emulator = new ProviderEmulator(0, "emulator-test-key", 300);
        Shutdown.register(emulator);
        yookassa = new YooKassaEmulator("shop-1", "yookassa-test-secret");
        Shutdown.register(yookassa);
        dashboardPort = TestServices.freePort();
        Wiring wiring = new Wiring(TestServices.postgres(), TestServices.redis(), TestServices.s3(),
            emulator.baseUrl(), emulator.apiKey(), ADMIN_KEY, TestServices.freePort(), dashboardPort, DASHBOARD_PASSWORD);
        Map<String, Object> properties = new java.util.HashMap<>(wiring.properties());
        properties.put("genq.s3.bucket", "genq-test");
        properties.put("genq.s3.url-ttl", URL_TTL_SECONDS + "s");
        properties.put("genq.queue.backoff-seed-seconds", 1);
        properties.put("genq.worker.max-attempts", MAX_ATTEMPTS);
        properties.put("genq.maintenance.requeue-grace", "0s");
        properties.put("genq.s3.max-object-bytes", MAX_OUTPUT_BYTES);
        properties.put("genq.payments.nowpayments.ipn-secret", IPN_SECRET);
        properties.put("genq.payments.yookassa.base-url", yookassa.baseUrl());
        properties.put("genq.payments.yookassa.shop-id", "shop-1");
        properties.put("genq.payments.yookassa.secret-key", "yookassa-test-secret");
        properties.put("genq.catalog.price-refresh", "0s");
        properties.put("genq.queue.worker-count", JOBRUNR_WORKERS);
        context = Application.startManaged(Application.ALL_ROLES, properties);
        Shutdown.register(context);
        api = new Api("http://127.0.0.1:" + wiring.httpPort());
    }

    static synchronized GenqStack get() {
        if (instance == null) {
            try {
                instance = new GenqStack();
            } catch (IOException e) {
                throw new IllegalStateException("could not start genq for tests", e);
            }
        }
        return instance;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }
}
