package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.devkit.payments.GatewayEmulator;
import dev.genq.ledger.Coins;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Requests a hostile or careless client sends: each is a 4xx in genq's one error shape, with its
 * own code and a message that names no class of genq's, and it charges and writes nothing.
 */
class HostileRequestsTest extends EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Nested
    class TextNoRowCanHold {
        @Test
        void aNulInAPromptIs400NamingTheFieldAndWritesNothing() throws Exception {
            Api.Account account = api.newAccount(50);
            Answer r = post("/v1/generations", account.key(), bytes("{\"model\":\"emu-image\",\"inputs\":{\"prompt\":\"fox\\u0000\"}}"));

            r.assertError(400, "invalid_input").contains("'prompt'");
            assertNothingWritten(account, 50);
        }

        @Test
        void aLoneSurrogateInAPromptIs400NamingTheField() throws Exception {
            Api.Account account = api.newAccount(50);
            Answer r = post("/v1/quotes", account.key(), bytes("{\"model\":\"emu-image\",\"inputs\":{\"prompt\":\"fox \\ud800\"}}"));

            r.assertError(400, "invalid_input").contains("'prompt'");
            assertNothingWritten(account, 50);
        }

        @Test
        void anOverlongEncodingIsRefusedAs400() throws Exception {
            Api.Account account = api.newAccount(50);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(bytes("{\"model\":\"emu-image\",\"inputs\":{\"prompt\":\"fox"));
            body.write(0xC0);
            body.write(0x80);
            body.writeBytes(bytes("\"}}"));

            Answer r = post("/v1/generations", account.key(), body.toByteArray());

            assertThat(r.status()).isEqualTo(400);
            r.assertShape();
            assertNothingWritten(account, 50);
        }

        @Test
        void aNulInAnAdminFieldIs400AndOpensNoAccount() throws Exception {
            long before = Fixtures.count("SELECT count(*) FROM account");
            Answer r = post("/admin/v1/accounts", GenqStack.ADMIN_KEY, bytes("{\"name\":\"ac\\u0000me\"}"));

            r.assertError(400, "invalid_request");
            assertThat(Fixtures.count("SELECT count(*) FROM account")).isEqualTo(before);
        }
    }

    @Nested
    class MalformedBodies {
        @Test
        void malformedJsonNamesNoClassOfGenqs() throws Exception {
            Api.Account account = api.newAccount(50);
            for (String body : new String[] {"{\"model\":", "{\"model\":\"emu-text\",\"inputs\":[1,2]}", "{\"model\":{}}", "[]",
                "{\"model\":\"emu-text\",\"quoteId\":\"not-a-uuid\"}"}) {
                Answer r = post("/v1/generations", account.key(), bytes(body));
                r.assertError(400, "invalid_request").doesNotContain("dev.genq").doesNotContain("class ").doesNotContain("java.");
            }
            assertNothingWritten(account, 50);
        }
    }

    @Nested
    class Amounts {
        @Test
        void anAdjustmentBeyondTheBoundIs400AndMovesNothing() throws Exception {
            Api.Account account = api.newAccount(50);
            for (String amount : new String[] {String.valueOf(Coins.MAX + 1), String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE)}) {
                Api.Response r = api.post("/admin/v1/accounts/" + account.id() + "/adjustments", api.admin("ana"),
                    "{\"amountCoins\":" + amount + ",\"reason\":\"overflow\"}");
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.errorCode()).isEqualTo("invalid_request");
            }
            assertThat(api.post("/admin/v1/accounts/" + account.id() + "/adjustments", api.admin("ana"),
                "{\"amountCoins\":99999999999999999999,\"reason\":\"too long for a long\"}").status()).isEqualTo(400);
            assertThat(api.balance(account)).isEqualTo(50);
        }

        @Test
        void aPriceBeyondTheBoundIsRefusedAndAPriceTimesUnitsBeyondItIs400() throws Exception {
            Api.Response tooDear = api.post("/admin/v1/models/emu-image/prices", api.admin("ana"),
                "{\"coinsPerUnit\":" + (1L << 62) + ",\"reason\":\"overflow\"}");
            assertThat(tooDear.status()).isEqualTo(400);
            assertThat(tooDear.errorCode()).isEqualTo("invalid_request");

            Api.Account account = api.newAccount(50);
            try {
                assertThat(api.post("/admin/v1/models/emu-image/prices", api.admin("ana"),
                    "{\"coinsPerUnit\":" + Coins.MAX + ",\"reason\":\"the most\"}").status()).isEqualTo(201);
                Api.Response r = api.submit(account, "emu-image", "{\"prompt\":\"four dear foxes\",\"n\":4}");
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.errorCode()).isEqualTo("invalid_input");
            } finally {
                assertThat(api.post("/admin/v1/models/emu-image/prices", api.admin("ana"),
                    "{\"coinsPerUnit\":10,\"reason\":\"back to the catalog's\"}").status()).isEqualTo(201);
            }
            assertNothingWritten(account, 50);
        }

        @Test
        void initialCoinsStayInBounds() {
            assertThat(api.post("/admin/v1/accounts", api.admin("ana"), "{\"name\":\"rich\",\"initialCoins\":" + (Coins.MAX + 1) + "}")
                .errorCode()).isEqualTo("invalid_request");
            assertThat(api.post("/admin/v1/accounts", GenqStack.ADMIN_KEY, "{\"name\":\"empty\"}").status())
                .as("an account without coins moves no money").isEqualTo(201);
        }
    }

    @Nested
    class PaymentNotifications {
        /** A NOWPayments top-up of 100 coins (1 USD) for a new account: its invoice id and order id. */
        private String[] invoice(Api.Account account) {
            String invoice = api.post("/v1/topups", account.key(), Gateways.topupBody("nowpayments", 100)).body().path("providerPaymentId").asText();
            return new String[] {invoice, stack.gateways.nowpayments.invoice(invoice).orderRef()};
        }

        @Test
        void aNumberTooLargeForADoubleWithAnySignatureIs401() throws Exception {
            Api.Account account = api.newAccount(0);
            String[] created = invoice(account);
            GatewayEmulator.Notification ipn = stack.gateways.nowpayments.ipn(created[0], created[1], "finished", "1e999", "usd", "1", "1");

            HttpResponse<String> signed = stack.gateways.nowpayments.send(ipn);
            HttpResponse<String> forged = stack.gateways.nowpayments.send(
                new GatewayEmulator.Notification(ipn.contentType(), ipn.body(), Map.of("x-nowpayments-sig", "00")));

            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(401);
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(api.balance(account)).isZero();
        }

        @Test
        void aSignedNotificationWithAnAmountThatIsNoMoneyIs400AndCreditsNothing() throws Exception {
            Api.Account account = api.newAccount(0);
            String[] created = invoice(account);
            for (String price : new String[] {"\"abc\"", "1e+30", "\"1e999999999\"", "-5", "\"0.0000000000000000001\""}) {
                HttpResponse<String> r = stack.gateways.nowpayments.send(
                    stack.gateways.nowpayments.ipn(created[0], created[1], "finished", price, "usd", "1", "1"));
                assertThat(r.statusCode()).as(price + ": " + r.body()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("invalid_request");
            }
            assertThat(Fixtures.query("SELECT status FROM payment WHERE payment_id = ?", rs -> rs.getString(1), created[0]))
                .containsExactly("created");
            assertThat(api.balance(account)).isZero();
        }
    }

    @Nested
    class Threads {
        @Test
        void paymentNotificationsRunOnVirtualThreadsNotOnTheEventLoop() throws Exception {
            Api.Account account = api.newAccount(0);
            String yooKassaPayment = api.post("/v1/topups", account.key(), Gateways.topupBody("yookassa", 1)).body()
                .path("providerPaymentId").asText();
            String wholeInvoice = api.post("/v1/topups", account.key(), Gateways.topupBody("nowpayments", 100)).body()
                .path("providerPaymentId").asText();
            String slowInvoice = api.post("/v1/topups", account.key(), Gateways.topupBody("nowpayments", 100)).body()
                .path("providerPaymentId").asText();
            GatewayEmulator.Notification whole = stack.gateways.nowpayments.ipn(wholeInvoice, "finished", "1", "usd");
            GatewayEmulator.Notification slow = stack.gateways.nowpayments.ipn(slowInvoice, "finished", "1", "usd");

            try (Logs logs = Logs.capture()) {
                assertThat(stack.gateways.nowpayments.send(whole).statusCode()).isEqualTo(200);
                assertThat(inTwoParts("/webhooks/nowpayments", slow.body(), slow.headers())).startsWith("HTTP/1.1 200");
                // YooKassa's handler asks YooKassa with a blocking client, which must not run on an event loop.
                assertThat(stack.gateways.yookassa.send(stack.gateways.paid("yookassa", yooKassaPayment, "1.00", "RUB")).statusCode())
                    .isEqualTo(200);

                assertThat(logs.from(dev.genq.payment.Payments.class)).as("one credit line per payment").hasSize(3)
                    .allSatisfy(line -> assertThat(line.virtual() && !line.onEventLoop()).as(line.thread()).isTrue());
            }
            assertThat(api.balance(account)).isEqualTo(201);
        }

        /** A request whose body arrives in two parts, 300 ms apart, as from a slow gateway. */
        private String inTwoParts(String path, String body, Map<String, String> headers) throws Exception {
            URI base = URI.create(api.base());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                java.io.OutputStream out = socket.getOutputStream();
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                Thread.sleep(300);
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                out.flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Nested
    class Sizes {
        @Test
        void aBodyOverTheLimitIs413PlainOrChunked() throws Exception {
            Api.Account account = api.newAccount(50);
            byte[] huge = new byte[12 * 1024 * 1024];
            java.util.Arrays.fill(huge, (byte) 'a');

            Answer plain = post("/v1/generations", account.key(), huge);
            Answer chunked = send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/generations"))
                .header("Authorization", "Bearer " + account.key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))));

            plain.assertError(413, "payload_too_large");
            chunked.assertError(413, "payload_too_large");
            assertNothingWritten(account, 50);
        }

        @Test
        void aPathOrQueryTooLongIs414AndHeadersTooLargeAre431InTheErrorShape() throws Exception {
            Api.Account account = api.newAccount(50);
            Answer longPath = send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/generations/" + "p".repeat(8_192)))
                .header("Authorization", "Bearer " + account.key()).GET());
            Answer longQuery = send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/generations?cursor=" + "a".repeat(100_000)))
                .header("Authorization", "Bearer " + account.key()).GET());
            Answer bigHeader = send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/generations"))
                .header("Authorization", "Bearer " + account.key()).header("X-Filler", "b".repeat(100_000)).GET());
            Answer bigSubmit = send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/generations?x=" + "q".repeat(10_000)))
                .header("Authorization", "Bearer " + account.key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"never\"}}")));

            longPath.assertError(414, "uri_too_long");
            longQuery.assertError(414, "uri_too_long");
            bigSubmit.assertError(414, "uri_too_long");
            bigHeader.assertError(431, "headers_too_large");
            assertNothingWritten(account, 50);
            // The refusal closed only its own connection: the server goes on answering.
            assertThat(send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/wallet"))
                .header("Authorization", "Bearer " + account.key()).GET()).status()).isEqualTo(200);
        }
    }

    /** An answer, read whatever its status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body);
            }
        }

        void assertShape() {
            assertThat(json().path("error").path("code").isTextual()).as(body).isTrue();
            assertThat(json().path("error").path("message").asText()).as(body).isNotBlank();
        }

        org.assertj.core.api.AbstractStringAssert<?> assertError(int expectedStatus, String code) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertShape();
            assertThat(json().path("error").path("code").asText()).isEqualTo(code);
            return assertThat(json().path("error").path("message").asText());
        }
    }

    private static Answer post(String path, String key, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static Answer send(HttpRequest.Builder request) throws Exception {
        try {
            HttpResponse<InputStream> r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                return new Answer(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("genq dropped the connection instead of answering: " + e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertNothingWritten(Api.Account account, long coins) {
        assertThat(Fixtures.count("SELECT count(*) FROM generation WHERE account_id = ?", account.id())).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM quote WHERE account_id = ?", account.id())).isZero();
        assertThat(api.balance(account)).isEqualTo(coins);
    }
}
