package dev.genq.local;

import dev.genq.account.AccountKeys;
import dev.genq.account.AccountService;
import dev.genq.devkit.emulator.ProviderEmulator;
import dev.genq.devkit.payments.NowPaymentsEmulator;
import dev.genq.devkit.services.Embedded;
import dev.genq.devkit.services.Shutdown;
import dev.genq.server.Application;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./genq run}: everything on embedded servers, data under {@code .genq/} (or GENQ_DATA_DIR)
 * so a restart keeps accounts, coins and outputs. Ports: API 8080, dashboard 8000, and for the
 * embedded servers PostgreSQL 15432, Redis 16379, S3 19000, provider emulator 19100. Servers a
 * killed run left behind are found by their pid files in the data directory and stopped first;
 * on exit the roles stop before the servers they use.
 */
public final class LocalGenq {
    static final String DEMO_KEY = "gq_demo_local_key";
    static final String ADMIN_KEY = "gq_admin_local_key";
    static final String DASHBOARD_PASSWORD = "genq";
    static final String IPN_SECRET = "genq-local-ipn-secret";
    static final String NOWPAYMENTS_API_KEY = "genq-local-nowpayments-key";

    private LocalGenq() {
    }

    /** Starts; a start that cannot proceed says why and exits 1, stopping what it had started. */
    public static void main(String[] args) {
        try {
            start();
        } catch (Exception e) {
            System.err.println("genq could not start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void start() throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("GENQ_DATA_DIR", ".genq")).toAbsolutePath();
        int port = Integer.parseInt(System.getenv().getOrDefault("GENQ_PORT", "8080"));
        ProviderEmulator emulator = new ProviderEmulator(19100, "emulator-key", 3000);
        Shutdown.register(emulator);
        emulator.webhookSecret(emulator.apiKey(), Wiring.EMULATOR_WEBHOOK_SECRET);
        Wiring wiring = new Wiring(
            Embedded.postgres(data.resolve("postgres"), 15432),
            Embedded.redis(16379, data.resolve("redis.pid")),
            Embedded.s3(data.resolve("s3"), 19000),
            emulator.baseUrl(), emulator.apiKey(), ADMIN_KEY, port, 8000, DASHBOARD_PASSWORD);
        Map<String, Object> properties = new HashMap<>(wiring.properties());
        // top-ups work end to end against a local NOWPayments; the README's walk-through pays one with a signed IPN
        NowPaymentsEmulator nowpayments = new NowPaymentsEmulator(19201, NOWPAYMENTS_API_KEY, IPN_SECRET);
        Shutdown.register(nowpayments);
        properties.put("genq.payments.nowpayments.base-url", nowpayments.baseUrl());
        properties.put("genq.payments.nowpayments.api-key", NOWPAYMENTS_API_KEY);
        properties.put("genq.payments.nowpayments.ipn-secret", IPN_SECRET);
        properties.put("genq.payments.rates", "USD=100,RUB=1");
        ApplicationContext context = Application.startManaged(Application.ALL_ROLES, properties);
        Shutdown.register(context); // registered last, so it stops first: before the servers it uses
        seedDemoAccount(context.getBean(AccountService.class), context.getBean(AccountKeys.class));
        System.out.printf("""

            genq is running (all-in-one; data in %s)
              API base URL   http://127.0.0.1:%d
              demo API key   %s   (1000 coins on first start)
              admin API key  %s
              dashboard      http://127.0.0.1:8000   (user admin, password %s)
              metrics        http://127.0.0.1:%d/prometheus
              NOWPayments (local) IPN secret  %s
            Stop with Ctrl-C.
            %n""", data, port, DEMO_KEY, ADMIN_KEY, DASHBOARD_PASSWORD, port, IPN_SECRET);
    }

    private static void seedDemoAccount(AccountService accounts, AccountKeys keys) {
        if (keys.authenticate(DEMO_KEY).isEmpty()) {
            accounts.open("demo", 1000, DEMO_KEY, "genq-local");
        }
    }
}
