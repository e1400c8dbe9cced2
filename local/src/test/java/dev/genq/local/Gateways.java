package dev.genq.local;

import dev.genq.devkit.payments.FreeKassaEmulator;
import dev.genq.devkit.payments.GatewayEmulator;
import dev.genq.devkit.payments.LavaEmulator;
import dev.genq.devkit.payments.NowPaymentsEmulator;
import dev.genq.devkit.payments.RobokassaEmulator;
import dev.genq.devkit.payments.YooKassaEmulator;
import dev.genq.devkit.services.Shutdown;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The five gateway emulators the test stack's genq is configured against, and the notifications each
 * sends for the same situations, so one test can run against every gateway.
 */
final class Gateways {
    static final List<String> NAMES = List.of("yookassa", "nowpayments", "lava", "robokassa", "freekassa");
    /** Coins per unit in the stack: what the tests' amounts assume. */
    static final String RATES = "RUB=1,USD=100,EUR=110";
    final YooKassaEmulator yookassa = new YooKassaEmulator("shop-1", "yookassa-test-secret");
    final NowPaymentsEmulator nowpayments = new NowPaymentsEmulator("nowpayments-test-key", GenqStack.IPN_SECRET);
    final LavaEmulator lava = new LavaEmulator("6e4cd3f5-1b8a-4a77-8f38-1e21c7c0a100", "lava-test-secret", "lava-test-additional");
    final RobokassaEmulator robokassa = new RobokassaEmulator("genq-shop", "robokassa-pass-1", "robokassa-pass-2");
    final FreeKassaEmulator freekassa = new FreeKassaEmulator(4242, "freekassa-test-key", "freekassa-secret-2");

    Gateways() throws IOException {
        List.of(yookassa, nowpayments, lava, robokassa, freekassa).forEach(Shutdown::register);
    }

    void configure(Map<String, Object> p) {
        p.put("genq.payments.rates", RATES);
        p.put("genq.payments.yookassa.base-url", yookassa.baseUrl());
        p.put("genq.payments.yookassa.shop-id", "shop-1");
        p.put("genq.payments.yookassa.secret-key", "yookassa-test-secret");
        p.put("genq.payments.nowpayments.base-url", nowpayments.baseUrl());
        p.put("genq.payments.nowpayments.api-key", "nowpayments-test-key");
        p.put("genq.payments.nowpayments.ipn-secret", GenqStack.IPN_SECRET);
        p.put("genq.payments.lava.base-url", lava.baseUrl());
        p.put("genq.payments.lava.shop-id", "6e4cd3f5-1b8a-4a77-8f38-1e21c7c0a100");
        p.put("genq.payments.lava.secret-key", "lava-test-secret");
        p.put("genq.payments.lava.additional-key", "lava-test-additional");
        p.put("genq.payments.robokassa.base-url", robokassa.baseUrl());
        p.put("genq.payments.robokassa.merchant-login", "genq-shop");
        p.put("genq.payments.robokassa.password1", "robokassa-pass-1");
        p.put("genq.payments.robokassa.password2", "robokassa-pass-2");
        p.put("genq.payments.freekassa.base-url", freekassa.baseUrl());
        p.put("genq.payments.freekassa.shop-id", "4242");
        p.put("genq.payments.freekassa.api-key", "freekassa-test-key");
        p.put("genq.payments.freekassa.secret2", "freekassa-secret-2");
    }

    void notifyTo(String apiBase) {
        NAMES.forEach(name -> emulator(name).notifyTo(URI.create(apiBase + "/webhooks/" + name)));
    }

    GatewayEmulator emulator(String name) {
        return switch (name) {
            case "yookassa" -> yookassa;
            case "nowpayments" -> nowpayments;
            case "lava" -> lava;
            case "robokassa" -> robokassa;
            case "freekassa" -> freekassa;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static String topupBody(String provider, long coins) {
        return "{\"provider\":\"" + provider + "\",\"amountCoins\":" + coins + ",\"returnUrl\":\"https://shop.example/back\"}";
    }

    /** Tops the account up by {@code coins} the way a user would: a NOWPayments invoice, paid in full. */
    void topUp(Api api, Api.Account account, long coins) throws IOException, InterruptedException {
        Api.Response created = api.post("/v1/topups", account.key(), topupBody("nowpayments", coins));
        if (created.status() != 201) {
            throw new IllegalStateException("top-up not created: " + created.raw());
        }
        String invoice = created.body().path("providerPaymentId").asText();
        int status = nowpayments.send(paid("nowpayments", invoice, nowpayments.invoice(invoice).amount(), "USD")).statusCode();
        if (status != 200) {
            throw new IllegalStateException("top-up not credited: " + status);
        }
    }

    /** Whether the gateway's notification says which currency was paid (else it is the order's). */
    static boolean reportsCurrency(String name) {
        return name.equals("yookassa") || name.equals("nowpayments");
    }

    /** The notification that invoice {@code id} was paid {@code amount} of {@code currency}; YooKassa's API is set to say so too. */
    GatewayEmulator.Notification paid(String name, String id, String amount, String currency) {
        return switch (name) {
            case "yookassa" -> {
                yookassa.set(id, "succeeded", amount, currency);
                yield yookassa.notification(id, "payment.succeeded");
            }
            case "nowpayments" -> nowpayments.ipn(id, "finished", new java.math.BigDecimal(amount).stripTrailingZeros().toPlainString(),
                currency.toLowerCase(java.util.Locale.ROOT));
            case "lava" -> lava.paid(id, amount);
            case "robokassa" -> robokassa.paid(id, amount);
            case "freekassa" -> freekassa.paid(id, amount);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A notification, signed as the gateway signs, about a payment genq never created. */
    GatewayEmulator.Notification unknown(String name, String amount) {
        String order = UUID.randomUUID().toString();
        return switch (name) {
            case "yookassa" -> yookassa.notification(yookassa.foreignPayment(amount), "payment.succeeded");
            case "nowpayments" -> nowpayments.ipn("4999999999", order, "finished", new java.math.BigDecimal(amount).stripTrailingZeros()
                .toPlainString(), "usd", "1", "1");
            case "lava" -> lava.webhook(UUID.randomUUID().toString(), order, "success", amount);
            case "robokassa" -> robokassa.result("2000000000", amount);
            case "freekassa" -> freekassa.notification("999999", order, amount);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * A forgery: the paid notification with a larger amount and the original signature. YooKassa's
     * carries no signature; its forgery is a notification that a payment succeeded while its API says
     * it is still pending.
     */
    GatewayEmulator.Notification forged(String name, String id, String amount) {
        if (name.equals("yookassa")) {
            return yookassa.notification(id, "payment.succeeded");
        }
        GatewayEmulator.Notification real = paid(name, id, amount, name.equals("nowpayments") ? "USD" : "RUB");
        return switch (name) {
            case "nowpayments" -> real.tampered("\"price_amount\":" + amount, "\"price_amount\":" + amount + "00");
            case "lava" -> real.tampered("\"amount\":\"" + amount + "\"", "\"amount\":\"" + amount + "00\"");
            case "robokassa" -> real.tampered("OutSum=" + amount, "OutSum=" + amount + "00");
            default -> real.tampered("AMOUNT=" + amount, "AMOUNT=" + amount + "00");
        };
    }
}
