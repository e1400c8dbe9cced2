package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.devkit.payments.GatewayEmulator;
import dev.genq.ledger.LedgerAudit;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Top-ups at every gateway, over HTTP against each gateway's emulator: created at the gateway with
 * the rate recorded, credited once and only from a verified notification, never for a forgery, only
 * what was paid, nothing for a payment genq never made, and nothing made while the gateway is down.
 */
class TopupsTest extends EndToEndTest {
    static final List<String> GATEWAYS = Gateways.NAMES;

    private Gateways gateways() {
        return stack.gateways;
    }

    /** A created top-up of 500 coins: RUB at 1 coin, USD (NOWPayments) at 100. */
    private JsonNode create(String gateway, Api.Account account) {
        Api.Response r = api.post("/v1/topups", account.key(), Gateways.topupBody(gateway, 500));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body();
    }

    private static String amountOf(String gateway) {
        return gateway.equals("nowpayments") ? "5" : "500.00";
    }

    private static String currencyOf(String gateway) {
        return gateway.equals("nowpayments") ? "USD" : "RUB";
    }

    private HttpResponse<String> send(String gateway, GatewayEmulator.Notification n) throws Exception {
        return gateways().emulator(gateway).send(n);
    }

    private JsonNode topup(Api.Account account, String id) {
        return api.get("/v1/topups/" + id, account.key()).body();
    }

    @ParameterizedTest
    @FieldSource("GATEWAYS")
    void aTopUpIsCreatedAtTheGatewayAtTheRateAndCreditedOnceWhenPaid(String gateway) throws Exception {
        Api.Account account = api.newAccount(0);
        JsonNode created = create(gateway, account);

        assertThat(created.path("state").asText()).isEqualTo("pending");
        assertThat(created.path("coins").asLong()).isEqualTo(500);
        assertThat(created.path("amount").asText()).isEqualTo(gateway.equals("nowpayments") ? "5.00" : "500.00");
        assertThat(created.path("currency").asText()).isEqualTo(currencyOf(gateway));
        assertThat(created.path("coinsPerUnit").asText()).isEqualTo(gateway.equals("nowpayments") ? "100" : "1");
        assertThat(created.path("paymentUrl").asText()).startsWith("http");
        String invoice = created.path("providerPaymentId").asText();
        GatewayEmulator.Invoice atGateway = gateways().emulator(gateway).invoice(invoice);
        assertThat(new java.math.BigDecimal(atGateway.amount())).isEqualByComparingTo(gateway.equals("nowpayments") ? "5" : "500");
        assertThat(api.balance(account)).isZero();

        GatewayEmulator.Notification paid = gateways().paid(gateway, invoice, amountOf(gateway), currencyOf(gateway));
        List<Integer> statuses = Fixtures.concurrently(5, i -> send(gateway, paid).statusCode());

        assertThat(statuses).containsOnly(200);
        assertThat(api.balance(account)).isEqualTo(500);
        JsonNode after = topup(account, created.path("id").asText());
        assertThat(after.path("state").asText()).isEqualTo("paid");
        assertThat(after.path("creditedCoins").asLong()).isEqualTo(500);
        assertThat(after.path("reviewReason").isMissingNode() || after.path("reviewReason").isNull()).isTrue();
        assertThat(send(gateway, paid).statusCode()).as("a replay later").isEqualTo(200);
        assertThat(api.balance(account)).isEqualTo(500);
        assertThat(api.get("/v1/activity", account.key()).body().path("data")).extracting(a -> a.path("kind").asText())
            .contains("topup.created", "topup.paid");
        assertThat(stack.bean(LedgerAudit.class).discrepancies()).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("GATEWAYS")
    void aForgedNotificationCreditsNothing(String gateway) throws Exception {
        Api.Account account = api.newAccount(0);
        String invoice = create(gateway, account).path("providerPaymentId").asText();

        HttpResponse<String> forged = send(gateway, gateways().forged(gateway, invoice, amountOf(gateway)));

        // YooKassa signs nothing: genq asks its API, which says the payment is still pending
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(gateway.equals("yookassa") ? 200 : 401);
        assertThat(api.balance(account)).isZero();
    }

    @ParameterizedTest
    @FieldSource("GATEWAYS")
    void aPaymentOfLessThanWasAskedCreditsWhatWasPaidAndIsFlaggedForReview(String gateway) throws Exception {
        Api.Account account = api.newAccount(0);
        JsonNode created = create(gateway, account);
        String half = gateway.equals("nowpayments") ? "2.5" : "250.00";

        assertThat(send(gateway, gateways().paid(gateway, created.path("providerPaymentId").asText(), half, currencyOf(gateway)))
            .statusCode()).isEqualTo(200);

        assertThat(api.balance(account)).isEqualTo(250);
        assertThat(topup(account, created.path("id").asText()).path("reviewReason").asText()).contains("paid " + half + " ");
        assertThat(api.get("/admin/v1/payments/review", api.admin("fin")).body().path("flagged"))
            .anySatisfy(p -> assertThat(p.path("topupId").asText()).isEqualTo(created.path("id").asText()));
    }

    @ParameterizedTest
    @FieldSource("GATEWAYS")
    void aPaymentInAnotherCurrencyCreditsNothingAndIsFlaggedForReview(String gateway) throws Exception {
        assumeThat(Gateways.reportsCurrency(gateway)).as("only YooKassa and NOWPayments say which currency was paid").isTrue();
        Api.Account account = api.newAccount(0);
        JsonNode created = create(gateway, account);

        send(gateway, gateways().paid(gateway, created.path("providerPaymentId").asText(), amountOf(gateway), "EUR"));

        assertThat(api.balance(account)).isZero();
        assertThat(topup(account, created.path("id").asText()).path("reviewReason").asText()).contains("EUR");
    }

    @ParameterizedTest
    @FieldSource("GATEWAYS")
    void aNotificationForAPaymentGenqNeverCreatedCreditsNothingAndIsKeptForReview(String gateway) throws Exception {
        long before = Fixtures.count("SELECT count(*) FROM payment_unmatched WHERE provider = ?", gateway);
        long credited = Fixtures.count("SELECT coalesce(sum(amount_coins), 0) FROM ledger_transfer WHERE external_ref LIKE ?", gateway + ":%");

        HttpResponse<String> r = send(gateway, gateways().unknown(gateway, "500.00"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200); // acknowledged, so the gateway stops retrying: a person looks
        assertThat(Fixtures.count("SELECT count(*) FROM payment_unmatched WHERE provider = ?", gateway)).isEqualTo(before + 1);
        assertThat(api.get("/admin/v1/payments/review", api.admin("fin")).body().path("unmatched"))
            .anySatisfy(p -> assertThat(p.path("provider").asText()).isEqualTo(gateway));
        assertThat(Fixtures.count("SELECT coalesce(sum(amount_coins), 0) FROM ledger_transfer WHERE external_ref LIKE ?", gateway + ":%"))
            .isEqualTo(credited);
    }

    @ParameterizedTest
    @FieldSource("GATEWAYS")
    void whileTheGatewayIsDownATopUpIs503AndNothingIsMade(String gateway) {
        Api.Account account = api.newAccount(0);
        int invoices = gateways().emulator(gateway).invoicesCreated();
        gateways().emulator(gateway).down(true);
        Api.Response down;
        try {
            down = api.post("/v1/topups", account.key(), Gateways.topupBody(gateway, 500));
        } finally {
            gateways().emulator(gateway).down(false);
        }

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.errorCode()).isEqualTo("gateway_unavailable");
        assertThat(Fixtures.count("SELECT count(*) FROM payment WHERE account_id = ?", account.id())).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM activity WHERE account_id = ? AND kind = 'topup.created'", account.id())).isZero();
        assertThat(gateways().emulator(gateway).invoicesCreated()).isEqualTo(invoices);
        assertThat(api.post("/v1/topups", account.key(), Gateways.topupBody(gateway, 500)).status()).isEqualTo(201);
    }

    @Nested
    class OutOfOrder {
        @Test
        void aNowPaymentsStatusArrivingAfterALaterOneChangesNothing() throws Exception {
            Api.Account account = api.newAccount(0);
            String invoice = create("nowpayments", account).path("providerPaymentId").asText();
            String order = gateways().nowpayments.invoice(invoice).orderRef();

            send("nowpayments", gateways().nowpayments.ipn(invoice, order, "partially_paid", "5", "usd", "0.4", "0.1"));
            assertThat(api.balance(account)).isEqualTo(125);
            send("nowpayments", gateways().nowpayments.ipn(invoice, "finished", "5", "usd"));
            HttpResponse<String> late = send("nowpayments", gateways().nowpayments.ipn(invoice, order, "confirming", "5", "usd", "0.4", "0"));

            assertThat(late.statusCode()).isEqualTo(200);
            assertThat(api.balance(account)).isEqualTo(500);
            assertThat(Fixtures.query("SELECT status FROM payment WHERE payment_id = ?", rs -> rs.getString(1), invoice)).containsExactly("finished");
        }

        @Test
        void aLavaExpiryAfterThePaymentChangesNothing() throws Exception {
            Api.Account account = api.newAccount(0);
            String invoice = create("lava", account).path("providerPaymentId").asText();
            String order = gateways().lava.invoice(invoice).orderRef();

            send("lava", gateways().lava.paid(invoice, "500.00"));
            send("lava", gateways().lava.webhook(invoice, order, "expired", "500.00"));

            assertThat(api.balance(account)).isEqualTo(500);
        }

        @Test
        void aYooKassaNotificationIsBelievedOnlyAsFarAsItsApiSays() throws Exception {
            Api.Account account = api.newAccount(0);
            String payment = create("yookassa", account).path("providerPaymentId").asText();

            send("yookassa", gateways().yookassa.notification(payment, "payment.succeeded"));
            assertThat(api.balance(account)).isZero();
            gateways().yookassa.set(payment, "succeeded", "500.00", "RUB");
            send("yookassa", gateways().yookassa.notification(payment, "payment.waiting_for_capture"));
            send("yookassa", gateways().yookassa.notification(payment, "payment.succeeded"));

            assertThat(api.balance(account)).isEqualTo(500);
        }
    }

    @Nested
    class Reversals {
        @Test
        void aYooKassaRefundOfAPaidTopUpTakesTheChargebackPath() throws Exception {
            Api.Account account = api.newAccount(0);
            String payment = create("yookassa", account).path("providerPaymentId").asText();
            send("yookassa", gateways().paid("yookassa", payment, "500.00", "RUB"));
            assertThat(api.balance(account)).isEqualTo(500);

            assertThat(send("yookassa", gateways().yookassa.refund(payment)).statusCode()).isEqualTo(200);

            JsonNode wallet = api.get("/v1/wallet", account.key()).body();
            assertThat(wallet.path("balanceCoins").asLong()).isZero();
            assertThat(wallet.path("blocked").asBoolean()).isTrue();
            assertThat(api.get("/admin/v1/accounts/" + account.id(), GenqStack.ADMIN_KEY).body().path("state").asText()).isEqualTo("blocked");
            assertThat(api.submit(account, "emu-text", "{\"prompt\":\"after\"}").errorCode()).isEqualTo("account_blocked");
        }

        @Test
        void aNowPaymentsRefundTakesTheChargebackPathOnce() throws Exception {
            Api.Account account = api.newAccount(0);
            String invoice = create("nowpayments", account).path("providerPaymentId").asText();
            send("nowpayments", gateways().nowpayments.ipn(invoice, "finished", "5", "usd"));
            GatewayEmulator.Notification refunded = gateways().nowpayments.ipn(invoice, "refunded", "5", "usd");

            send("nowpayments", refunded);
            send("nowpayments", refunded);

            assertThat(api.balance(account)).isZero();
            assertThat(Fixtures.count("SELECT count(*) FROM ledger_transfer WHERE debit_account_id = ? AND memo LIKE 'chargeback%'", account.id()))
                .isEqualTo(1);
            assertThat(stack.bean(LedgerAudit.class).discrepancies()).isEmpty();
        }
    }

    @Nested
    class Requests {
        @Test
        void badRequestsAre400AndMakeNothing() {
            Api.Account account = api.newAccount(0);
            Map<String, String> bodies = Map.of(
                "{\"provider\":\"paypal\",\"amountCoins\":5,\"returnUrl\":\"https://a.example/\"}", "provider",
                "{\"provider\":\"yookassa\",\"amountCoins\":5,\"amount\":\"5\",\"returnUrl\":\"https://a.example/\"}", "either",
                "{\"provider\":\"yookassa\",\"amount\":\"5.001\",\"returnUrl\":\"https://a.example/\"}", "decimal",
                "{\"provider\":\"yookassa\",\"amount\":\"5\",\"currency\":\"USD\",\"returnUrl\":\"https://a.example/\"}", "takes",
                "{\"provider\":\"nowpayments\",\"amount\":\"5\",\"currency\":\"XYZ\",\"returnUrl\":\"https://a.example/\"}", "sells no coins",
                "{\"provider\":\"yookassa\",\"amountCoins\":5}", "returnUrl",
                "{\"provider\":\"yookassa\",\"amountCoins\":5,\"returnUrl\":\"javascript:alert(1)\"}", "returnUrl",
                "{\"provider\":\"yookassa\",\"amountCoins\":0,\"returnUrl\":\"https://a.example/\"}", "amountCoins");
            bodies.forEach((body, message) -> {
                Api.Response r = api.post("/v1/topups", account.key(), body);
                assertThat(r.status()).as(body + " → " + r.raw()).isEqualTo(400);
                assertThat(r.errorCode()).isEqualTo("invalid_request");
                assertThat(r.body().path("error").path("message").asText()).contains(message);
            });
            assertThat(Fixtures.count("SELECT count(*) FROM payment WHERE account_id = ?", account.id())).isZero();
        }

        @Test
        void aRetriedCreationWithItsIdempotencyKeyMakesOnePayment() {
            Api.Account account = api.newAccount(0);
            Map<String, String> key = Map.of("Idempotency-Key", "topup-" + UUID.randomUUID());
            int invoices = gateways().yookassa.invoicesCreated();

            Api.Response first = api.post("/v1/topups", account.key(), Gateways.topupBody("yookassa", 70), key);
            Api.Response again = api.post("/v1/topups", account.key(), Gateways.topupBody("yookassa", 70), key);

            assertThat(again.raw()).isEqualTo(first.raw());
            assertThat(Fixtures.count("SELECT count(*) FROM payment WHERE account_id = ?", account.id())).isEqualTo(1);
            assertThat(gateways().yookassa.invoicesCreated()).isEqualTo(invoices + 1);
        }

        @Test
        void anotherAccountsTopUpIsNotFound() {
            Api.Account owner = api.newAccount(0);
            Api.Account other = api.newAccount(0);
            String id = create("lava", owner).path("id").asText();

            assertThat(api.get("/v1/topups/" + id, other.key()).status()).isEqualTo(404);
            assertThat(api.get("/v1/topups", owner.key()).body().path("data")).hasSize(1);
        }
    }
}
