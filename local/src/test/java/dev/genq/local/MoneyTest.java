package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.generation.Generation;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.maintenance.IdempotencyKeySweeper;
import dev.genq.maintenance.LedgerReconciliation;
import dev.genq.maintenance.ReservationExpiry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The coin balance is always exactly right, under concurrency, retries, payments and disputes. */
class MoneyTest extends EndToEndTest {

    @Nested
    class ConcurrentSubmits {
        @Test
        void aHundredSubmitsAgainstTenCoinsAcceptExactlyTen() throws Exception {
            Api.Account account = api.newAccount(10);

            List<Integer> statuses = Fixtures.concurrently(100, i -> api.submit(account, "emu-text", "{\"prompt\":\"p" + i + "\"}").status());

            assertThat(statuses).filteredOn(s -> s == 202).hasSize(10);
            assertThat(statuses).filteredOn(s -> s == 402).hasSize(90);
            assertThat(api.balance(account)).isZero();
            assertThat(Fixtures.count("SELECT count(*) FROM generation WHERE account_id = ?", account.id())).isEqualTo(10);
        }
    }

    @Nested
    class PartialCapture {
        @Test
        void threeOfFourImagesPayThreeQuartersAndTheRestReturns() throws Exception {
            Api.Account account = api.newAccount(100);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[deliver=3] four foxes\",\"n\":4}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("outputs")).hasSize(3);
            assertThat(api.balance(account)).isEqualTo(70);
            assertThat(Fixtures.count("SELECT amount_coins FROM ledger_transfer WHERE pending_id = ?", UUID.fromString(id))).isEqualTo(30);
        }
    }

    @Nested
    class IdempotencyKeys {
        @Test
        void fiftyConcurrentRetriesMakeOneGenerationAndOneReservation() throws Exception {
            Api.Account account = api.newAccount(100);
            Map<String, String> key = Map.of("Idempotency-Key", "submit-" + UUID.randomUUID());

            List<Api.Response> responses = Fixtures.concurrently(50, i ->
                api.post("/v1/generations", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"once\"}}", key));

            assertThat(responses).allSatisfy(r -> assertThat(r.status()).isIn(202, 409));
            assertThat(responses).filteredOn(r -> r.status() == 409).allSatisfy(r -> assertThat(r.errorCode()).isEqualTo("request_in_progress"));
            assertThat(responses).filteredOn(r -> r.status() == 202).extracting(r -> r.body().path("id").asText()).containsOnly(
                responses.stream().filter(r -> r.status() == 202).findFirst().orElseThrow().body().path("id").asText());
            assertThat(Fixtures.count("SELECT count(*) FROM generation WHERE account_id = ?", account.id())).isEqualTo(1);
            assertThat(Fixtures.count("SELECT count(*) FROM ledger_transfer WHERE debit_account_id = ? AND kind = 'PENDING'", account.id())).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(99);
        }

        @Test
        void fiftyRetriesInSequenceAnswerTheFirstResponseByteForByte() {
            Api.Account account = api.newAccount(100);
            Map<String, String> key = Map.of("Idempotency-Key", "submit-" + UUID.randomUUID());
            String body = "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"again\"}}";
            Api.Response first = api.post("/v1/generations", account.key(), body, key);

            for (int i = 0; i < 49; i++) {
                Api.Response again = api.post("/v1/generations", account.key(), body, key);
                assertThat(again.status()).isEqualTo(202);
                assertThat(again.raw()).isEqualTo(first.raw());
                assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            }
            assertThat(Fixtures.count("SELECT count(*) FROM generation WHERE account_id = ?", account.id())).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(99);
        }

        @Test
        void theSameKeyWithAnotherBodyIs422() {
            Api.Account account = api.newAccount(100);
            Map<String, String> key = Map.of("Idempotency-Key", "k-" + UUID.randomUUID());
            api.post("/v1/generations", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"a\"}}", key);

            Api.Response other = api.post("/v1/generations", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"b\"}}", key);

            assertThat(other.status()).isEqualTo(422);
            assertThat(other.errorCode()).isEqualTo("idempotency_mismatch");
            assertThat(api.balance(account)).isEqualTo(99);
        }

        @Test
        void aRefusalIsRememberedLikeASuccess() {
            Api.Account account = api.newAccount(0);
            Map<String, String> key = Map.of("Idempotency-Key", "k-" + UUID.randomUUID());
            String body = "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"broke\"}}";
            assertThat(api.post("/v1/generations", account.key(), body, key).status()).isEqualTo(402);
            api.post("/admin/v1/accounts/" + account.id() + "/adjustments", api.admin("ana"), "{\"amountCoins\":5,\"reason\":\"top up\"}");

            Api.Response replay = api.post("/v1/generations", account.key(), body, key);

            assertThat(replay.status()).isEqualTo(402);
            assertThat(replay.errorCode()).isEqualTo("insufficient_funds");
            assertThat(api.balance(account)).isEqualTo(5);
        }

        @Test
        void keysBelongToTheirAccount() {
            Api.Account one = api.newAccount(10);
            Api.Account two = api.newAccount(10);
            Map<String, String> key = Map.of("Idempotency-Key", "shared-" + UUID.randomUUID());
            String body = "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"same\"}}";

            assertThat(api.post("/v1/generations", one.key(), body, key).status()).isEqualTo(202);
            assertThat(api.post("/v1/generations", two.key(), body, key).status()).isEqualTo(202);
            assertThat(api.balance(one)).isEqualTo(9);
            assertThat(api.balance(two)).isEqualTo(9);
        }

        @Test
        void keysPastTheirRetentionAreSwept() {
            String key = "old-" + UUID.randomUUID();
            Fixtures.update("INSERT INTO idempotency_key (scope, key, request_hash, owner, state, created_at) "
                + "VALUES ('admin', ?, 'h', gen_random_uuid(), 'COMPLETED', now() - interval '2 days')", key);

            assertThat(stack.bean(IdempotencyKeySweeper.class).runOnce()).isPositive();

            assertThat(Fixtures.count("SELECT count(*) FROM idempotency_key WHERE key = ?", key)).isZero();
        }
    }

    @Nested
    class Prices {
        @Test
        void aQuoteKeepsItsPriceThroughAPriceChange() {
            Api.Account account = api.newAccount(500);
            String inputs = "{\"prompt\":\"price\",\"n\":2}";
            JsonNode quote = api.post("/v1/quotes", account.key(), "{\"model\":\"emu-image\",\"inputs\":" + inputs + "}").body();
            long quoted = quote.path("priceCoins").asLong();
            long perUnit = quoted / 2;
            try {
                assertThat(changePrice("emu-image", "{\"coinsPerUnit\":" + (perUnit * 3) + ",\"reason\":\"demand\"}").status()).isEqualTo(201);

                Api.Response withQuote = api.post("/v1/generations", account.key(),
                    "{\"model\":\"emu-image\",\"inputs\":" + inputs + ",\"quoteId\":\"" + quote.path("id").asText() + "\"}");
                Api.Response without = api.submit(account, "emu-image", inputs);

                assertThat(withQuote.body().path("priceCoins").asLong()).isEqualTo(quoted);
                assertThat(without.body().path("priceCoins").asLong()).isEqualTo(perUnit * 3 * 2);
                assertThat(api.balance(account)).isEqualTo(500 - quoted - perUnit * 6);
                assertThat(modelsListed(account)).contains("emu-image");
            } finally {
                changePrice("emu-image", "{\"coinsPerUnit\":" + perUnit + ",\"reason\":\"back to normal\"}");
            }
        }

        @Test
        void aDisabledModelIsRefusedAndHidden() {
            Api.Account account = api.newAccount(100);
            try {
                changePrice("emu-voice", "{\"enabled\":false,\"reason\":\"vendor outage\"}");

                Api.Response submit = api.submit(account, "emu-voice", "{\"prompt\":\"hi\"}");
                Api.Response quote = api.post("/v1/quotes", account.key(), "{\"model\":\"emu-voice\",\"inputs\":{\"prompt\":\"hi\"}}");

                assertThat(submit.status()).isEqualTo(409);
                assertThat(submit.errorCode()).isEqualTo("model_disabled");
                assertThat(quote.errorCode()).isEqualTo("model_disabled");
                assertThat(modelsListed(account)).doesNotContain("emu-voice");
                assertThat(api.balance(account)).isEqualTo(100);
            } finally {
                changePrice("emu-voice", "{\"enabled\":true,\"reason\":\"vendor back\"}");
            }
        }

        @Test
        void anExpiredQuoteIs409AndAnotherAccountsIs404() {
            Api.Account account = api.newAccount(100);
            Api.Account stranger = api.newAccount(100);
            String quoteId = api.post("/v1/quotes", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"q\"}}").body().path("id").asText();
            String submit = "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"q\"},\"quoteId\":\"" + quoteId + "\"}";

            assertThat(api.post("/v1/generations", stranger.key(), submit).status()).isEqualTo(404);
            Fixtures.update("UPDATE quote SET expires_at = now() - interval '1 second' WHERE id = ?", UUID.fromString(quoteId));
            Api.Response expired = api.post("/v1/generations", account.key(), submit);

            assertThat(expired.status()).isEqualTo(409);
            assertThat(expired.errorCode()).isEqualTo("quote_expired");
        }

        @Test
        void priceChangesNeedAReason() {
            assertThat(changePrice("emu-text", "{\"coinsPerUnit\":2}").status()).isEqualTo(400);
        }

        private Api.Response changePrice(String model, String body) {
            return api.post("/admin/v1/models/" + model + "/prices", api.admin("ana"), body);
        }

        private List<String> modelsListed(Api.Account account) {
            return api.get("/v1/models", account.key()).body().path("data").findValuesAsText("id");
        }
    }

    @Nested
    class DuplicateOrders {
        @Test
        void aSecondActiveOrderForTheSameLinkIs409() throws Exception {
            Api.Account account = api.newAccount(1_000);
            String link = "https://example.test/v/" + UUID.randomUUID();
            String first = Fixtures.whilePaused(() -> {
                String id = api.submitted(account, "emu-views", "{\"link\":\"" + link + "\",\"quantity\":100}");
                Api.Response again = api.submit(account, "emu-views", "{\"link\":\"" + link.toUpperCase().replace("HTTPS", "https") + "\",\"quantity\":50}");
                assertThat(again.status()).isEqualTo(409);
                assertThat(again.errorCode()).isEqualTo("duplicate_active");
                assertThat(api.submit(account, "emu-views", "{\"link\":\"" + link + "/other\",\"quantity\":100}").status()).isEqualTo(202);
                return id;
            });

            api.awaitEnd(account, first, END);

            assertThat(api.submit(account, "emu-views", "{\"link\":\"" + link + "\",\"quantity\":100}").status()).isEqualTo(202);
        }
    }

    @Nested
    class Chargebacks {
        @Test
        void aChargebackCancelsQueuedWorkForfeitsTheBalanceAndBlocksTheAccount() throws Exception {
            Api.Account account = api.newAccount(100);
            String dispute = "{\"disputeId\":\"dp_1\",\"reason\":\"card chargeback\"}";
            Map<String, String> headers = Map.of("Idempotency-Key", "cb-" + UUID.randomUUID());
            Api.Response outcome = Fixtures.whilePaused(() -> {
                for (int i = 0; i < 3; i++) {
                    api.submitted(account, "emu-image", "{\"prompt\":\"queued " + i + "\"}");
                }
                assertThat(api.balance(account)).isEqualTo(70);
                return api.post("/admin/v1/accounts/" + account.id() + "/chargeback", api.admin("ana"), dispute, headers);
            });

            assertThat(outcome.status()).isEqualTo(200);
            assertThat(outcome.body().path("generationsCancelled").asInt()).isEqualTo(3);
            assertThat(outcome.body().path("forfeitedCoins").asLong()).isEqualTo(100);
            JsonNode wallet = api.get("/v1/wallet", account.key()).body();
            assertThat(wallet.path("balanceCoins").asLong()).isZero();
            assertThat(wallet.path("reservedCoins").asLong()).isZero();
            assertThat(wallet.path("blocked").asBoolean()).isTrue();
            assertThat(api.get("/v1/generations", account.key()).body().path("data"))
                .allSatisfy(g -> assertThat(g.path("status").asText()).isEqualTo("CANCELLED"))
                .allSatisfy(g -> assertThat(g.path("error").path("code").asText()).isEqualTo("account_blocked"));

            Api.Response submit = api.submit(account, "emu-text", "{\"prompt\":\"after\"}");
            assertThat(submit.status()).isEqualTo(403);
            assertThat(submit.errorCode()).isEqualTo("account_blocked");
            Api.Response replay = api.post("/admin/v1/accounts/" + account.id() + "/chargeback", api.admin("ana"), dispute, headers);
            assertThat(replay.raw()).isEqualTo(outcome.raw());
            JsonNode admin = api.get("/admin/v1/accounts/" + account.id(), GenqStack.ADMIN_KEY).body();
            assertThat(admin.path("state").asText()).isEqualTo("blocked");
            assertThat(admin.path("stateReason").asText()).isEqualTo("chargeback dp_1: card chargeback");
        }
    }

    @Nested
    class Adjustments {
        @Test
        void anAdjustmentNeedsAReasonAndIsOnTheLedgerUnderThePersonsName() {
            Api.Account account = api.newAccount(10);
            String path = "/admin/v1/accounts/" + account.id() + "/adjustments";

            assertThat(api.post(path, api.admin("ana"), "{\"amountCoins\":5}").status()).isEqualTo(400);
            assertThat(api.post(path, api.admin("ana"), "{\"amountCoins\":-11,\"reason\":\"too much\"}").status()).isEqualTo(402);
            assertThat(api.post(path, api.admin("ana"), "{\"amountCoins\":5,\"reason\":\"goodwill\"}").status()).isEqualTo(200);
            assertThat(api.post(path, api.admin("ana"), "{\"amountCoins\":-3,\"reason\":\"correction\"}").status()).isEqualTo(200);

            JsonNode ledger = api.get("/admin/v1/accounts/" + account.id() + "/ledger?limit=2", GenqStack.ADMIN_KEY).body();
            assertThat(ledger.path("data").get(0).path("memo").asText()).isEqualTo("correction");
            assertThat(ledger.path("data").get(0).path("actor").asText()).isEqualTo("ana");
            assertThat(ledger.path("data").get(1).path("memo").asText()).isEqualTo("goodwill");
            JsonNode older = api.get("/admin/v1/accounts/" + account.id() + "/ledger?limit=2&cursor=" + ledger.path("nextCursor").asText(),
                GenqStack.ADMIN_KEY).body();
            assertThat(older.path("data").get(0).path("memo").asText()).isEqualTo("initial coins");
            assertThat(api.balance(account)).isEqualTo(12);
        }
    }

    @Nested
    class Expiry {
        @Test
        void aGenerationStuckPastItsReservationFailsWithTimeoutAndIsRefunded() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = Fixtures.whilePaused(() -> {
                String gid = api.submitted(account, "emu-image", "{\"prompt\":\"stuck\"}");
                expire(gid);
                assertThat(stack.bean(ReservationExpiry.class).runOnce()).isPositive();
                return gid;
            });

            JsonNode done = api.get("/v1/generations/" + id, account.key()).body();
            assertThat(done.path("status").asText()).isEqualTo("FAILED");
            assertThat(done.path("error").path("code").asText()).isEqualTo("timeout");
            assertThat(api.balance(account)).isEqualTo(40);
        }

        @Test
        void aTimeoutRacingALateSuccessLetsExactlyOneWin() throws Exception {
            Api.Account account = api.newAccount(1_000);
            TaskChecks checks = stack.bean(TaskChecks.class);
            Settlement settlement = stack.bean(Settlement.class);
            for (int round = 0; round < 10; round++) {
                Generation running = Fixtures.whilePaused(() -> {
                    String gid = api.submitted(account, "emu-text", "{\"prompt\":\"race\"}");
                    return checks.start(checks.load(UUID.fromString(gid)).orElseThrow()).orElseThrow();
                });

                List<Boolean> won = Fixtures.concurrently(2, i -> i == 0
                    ? settlement.succeed(running, List.of(), 1)
                    : settlement.fail(running, "timeout", "too late"));

                assertThat(won).containsExactlyInAnyOrder(true, false);
                String kinds = String.join(",", Fixtures.query("SELECT kind FROM ledger_transfer WHERE pending_id = ?",
                    rs -> rs.getString(1), running.id()));
                assertThat(kinds).isEqualTo(won.get(0) ? "POST_PENDING" : "VOID_PENDING");
            }
        }

        @Test
        void aSuccessAfterTheReservationExpiredIsStillCapturedAndShowsItsCharge() throws Exception {
            Api.Account account = api.newAccount(40);
            TaskChecks checks = stack.bean(TaskChecks.class);
            Settlement settlement = stack.bean(Settlement.class);
            Generation running = Fixtures.whilePaused(() -> { // its job runs only once it has ended
                String gid = api.submitted(account, "emu-image", "{\"prompt\":\"late\"}");
                Generation started = checks.start(checks.load(UUID.fromString(gid)).orElseThrow()).orElseThrow();
                expire(gid);
                assertThat(settlement.succeed(started, List.of(), 1)).isTrue();
                return started;
            });

            JsonNode done = api.get("/v1/generations/" + running.id(), account.key()).body();
            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("chargedCoins").asLong()).isEqualTo(10);
            assertThat(api.balance(account)).isEqualTo(30);
        }

        private void expire(String generationId) {
            Fixtures.update("UPDATE ledger_transfer SET expires_at = now() - interval '1 second' WHERE id = ?", UUID.fromString(generationId));
        }
    }

    @Nested
    class Reconciliation {
        @Test
        void aDiscrepancyShowsInTheGaugeUntilTheLedgerBalancesAgain() throws Exception {
            Api.Account account = api.newAccount(10);
            LedgerReconciliation reconciliation = stack.bean(LedgerReconciliation.class);
            assertThat(reconciliation.runOnce()).isZero();
            assertThat(gauge()).isEqualTo("0.0");

            Fixtures.update("UPDATE wallet SET credits_posted = credits_posted + 1 WHERE account_id = ?", account.id());
            try {
                assertThat(reconciliation.runOnce()).isEqualTo(1);
                assertThat(gauge()).isEqualTo("1.0");
            } finally {
                Fixtures.update("UPDATE wallet SET credits_posted = credits_posted - 1 WHERE account_id = ?", account.id());
            }
            assertThat(reconciliation.runOnce()).isZero();
            assertThat(gauge()).isEqualTo("0.0");
        }

        private String gauge() throws Exception {
            String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(api.base() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith("genq_ledger_discrepancies ")).findFirst().orElseThrow().split(" ")[1];
        }
    }
}
