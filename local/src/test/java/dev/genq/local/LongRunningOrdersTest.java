package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.generation.GenerationConfig;
import dev.genq.generation.GenerationExecutor;
import dev.genq.generation.GenerationSearch;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.maintenance.MaintenanceConfig;
import dev.genq.maintenance.ReservationExpiry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Vendor work that takes long: its reservation covers it, nothing is refunded while the vendor may
 * still deliver, the owner may cancel after the start where the model allows it, and the status
 * shows what was charged and refunded, as the ledger did it.
 */
class LongRunningOrdersTest extends EndToEndTest {

    @Nested
    class Holds {
        @Test
        void aThreeDayOrderUnderATwoHourQueueHoldIsNeverRefundedWhileThePanelRunsItAndPaysOnlyItsDeliveredShare() throws Exception {
            Api.Account account = api.newAccount(500);
            String link = "https://t.me/[latency=4000][remains=30]three-days-" + UUID.randomUUID();
            String id = api.submitted(account, Vendors.LONG_ORDER_MODEL, "{\"link\":\"" + link + "\",\"quantity\":100}");
            Fixtures.awaitTaskRecorded(id);

            Instant started = instant("SELECT started_at FROM generation WHERE id = ?", id);
            Instant deadline = instant("SELECT provider_deadline_at FROM generation WHERE id = ?", id);
            Duration margin = stack.bean(GenerationConfig.class).getDeadlineMargin();
            assertThat(Duration.between(started, deadline)).isBetween(Duration.ofHours(72), Duration.ofHours(72).plusSeconds(10));
            assertThat(reservationExpiry(id)).as("the hold covers the route's deadline, not the queue's two hours")
                .isEqualTo(deadline.plus(margin));

            ReservationExpiry threeHoursOn = new ReservationExpiry(stack.bean(GenerationSearch.class), stack.bean(Settlement.class),
                stack.bean(MaintenanceConfig.class),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(3)));
            threeHoursOn.runOnce();
            assertThat(api.get("/v1/generations/" + id, account.key()).body().path("status").asText()).isEqualTo("RUNNING");
            assertThat(resolutions(id)).isEmpty();
            assertThat(api.balance(account)).isEqualTo(400);

            JsonNode done = api.awaitEnd(account, id, END);
            assertThat(done.path("priceCoins").asLong()).isEqualTo(100);
            assertThat(done.path("deliveredUnits").asInt()).isEqualTo(70);
            assertEnded(done, "SUCCEEDED", 70, 30);
            assertThat(resolutions(id)).containsExactly("POST_PENDING 70");
            assertThat(api.balance(account)).isEqualTo(430);
        }

        @Test
        void aVendorThatSucceedsAfterAForcedExpiryIsCapturedAndItsOutputsStored() throws Exception {
            Api.Account account = api.newAccount(40);
            // The expiry takes the deadline's path, a cancel at the vendor; this vendor cannot, and delivers.
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=3000][nocancel] a late fox\"}");
            Fixtures.awaitTaskRecorded(id);
            Fixtures.update("UPDATE ledger_transfer SET expires_at = now() - interval '1 second' WHERE id = ?", UUID.fromString(id));

            assertThat(stack.bean(ReservationExpiry.class).runOnce()).isPositive();
            assertThat(api.get("/v1/generations/" + id, account.key()).body().path("status").asText())
                .as("held for the vendor, not refunded").isEqualTo("RUNNING");
            assertThat(reservationExpiry(id)).isAfter(Instant.now());
            awaitAtLeast(() -> stack.emulator.cancelRequests(id), 1);

            JsonNode done = api.awaitEnd(account, id, END);
            assertEnded(done, "SUCCEEDED", 10, 0);
            HttpResponse<byte[]> file = api.download(done.path("outputs").get(0).path("url").asText());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(stack.emulator.expectedOutput(id, 0));
            assertThat(api.balance(account)).isEqualTo(30);
        }

        @Test
        void aSuccessThatComesAfterTheExpiryBeforeTheSchedulerLooksIsCapturedToo() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=2000] a later fox\"}");
            Fixtures.awaitTaskRecorded(id);
            Fixtures.update("UPDATE ledger_transfer SET expires_at = now() - interval '1 second' WHERE id = ?", UUID.fromString(id));

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("chargedCoins").asLong()).isEqualTo(10);
            assertThat(resolutions(id)).containsExactly("POST_PENDING 10");
            assertThat(api.balance(account)).isEqualTo(30);
        }
    }

    @Nested
    class PastTheDeadline {
        @Test
        void aVendorThatCannotCancelIsFollowedToItsEndAndShowsAsOverdueMeanwhile() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=6000][nocancel] a stubborn fox\"}");
            Fixtures.awaitTaskRecorded(id);

            Fixtures.update("UPDATE generation SET provider_deadline_at = now() - interval '1 second', next_check_at = now() WHERE id = ?",
                UUID.fromString(id));
            awaitAtLeast(() -> stack.emulator.cancelRequests(id), 1);

            JsonNode overdue = api.get("/admin/v1/generations?status=RUNNING&overdue=true&account=" + account.id(), GenqStack.ADMIN_KEY).body();
            assertThat(overdue.path("data")).hasSize(1);
            assertThat(overdue.path("data").get(0).path("id").asText()).isEqualTo(id);
            assertThat(overdue.path("data").get(0).path("overdue").asBoolean()).isTrue();
            assertThat(overdue.path("data").get(0).path("vendorCancelAt").isTextual()).isTrue();
            assertThat(metric("genq_generations_overdue")).isGreaterThanOrEqualTo(1);

            JsonNode done = api.awaitEnd(account, id, END);
            assertThat(done.path("status").asText()).as("the vendor delivered, so it is paid for").isEqualTo("SUCCEEDED");
            assertThat(done.path("chargedCoins").asLong()).isEqualTo(10);
            assertThat(stack.emulator.cancelRequests(id)).as("asked once, however often checked").isEqualTo(1);
            assertThat(stack.emulator.statusReads(id) + stack.emulator.webhookAnswers(id).size()).isGreaterThan(1);
            assertThat(api.get("/admin/v1/generations?overdue=true&account=" + account.id(), GenqStack.ADMIN_KEY).body().path("data"))
                .isEmpty();
            assertThat(api.balance(account)).isEqualTo(30);
        }
    }

    @Nested
    class CancelAfterStart {
        @Test
        void cancellingAPartlyDeliveredOrderRefundsExactlyTheRemains() throws Exception {
            Api.Account account = api.newAccount(500);
            String link = "https://t.me/[latency=8000]cancel-" + UUID.randomUUID();
            String id = api.submitted(account, Vendors.LONG_ORDER_MODEL, "{\"link\":\"" + link + "\",\"quantity\":100}");
            Fixtures.awaitTaskRecorded(id);
            Thread.sleep(2_500); // the panel delivers as it goes

            Api.Response asked = api.post("/v1/generations/" + id + "/cancel", account.key(), "");
            assertThat(asked.status()).isEqualTo(202);
            assertThat(asked.body().path("status").asText()).isEqualTo("RUNNING");
            assertThat(asked.body().path("cancelRequestedAt").isTextual()).isTrue();
            assertThat(api.post("/v1/generations/" + id + "/cancel", account.key(), "").status()).as("asking again is harmless")
                .isIn(200, 202);

            JsonNode done = api.awaitEnd(account, id, END);
            int remains = stack.vendors.smm.remainsAtCancel(link);
            assertThat(remains).as("partly delivered when cancelled").isBetween(1, 99);
            assertEnded(done, "CANCELLED", 100 - remains, remains);
            assertThat(done.path("deliveredUnits").asInt()).isEqualTo(100 - remains);
            assertThat(stack.vendors.smm.cancelRequests(link)).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(500 - (100 - remains));
        }

        @Test
        void cancellingAnOrderBeforeThePanelDeliveredAnythingRefundsItAll() throws Exception {
            Api.Account account = api.newAccount(500);
            String link = "https://t.me/[latency=600000]cancel-early-" + UUID.randomUUID();
            String id = api.submitted(account, Vendors.LONG_ORDER_MODEL, "{\"link\":\"" + link + "\",\"quantity\":100}");
            Fixtures.awaitTaskRecorded(id);

            assertThat(api.post("/v1/generations/" + id + "/cancel", account.key(), "").status()).isEqualTo(202);
            JsonNode done = api.awaitEnd(account, id, END);

            assertEnded(done, "CANCELLED", 0, 100);
            assertThat(resolutions(id)).containsExactly("VOID_PENDING 100");
            assertThat(api.balance(account)).isEqualTo(500);
        }

        @Test
        void aCancelBetweenAttemptsEndsItWithoutSubmittingAgain() throws Exception {
            Api.Account account = api.newAccount(500);
            String link = "https://t.me/[latency=600000]between-attempts-" + UUID.randomUUID();
            TaskChecks checks = stack.bean(TaskChecks.class);
            String id = Fixtures.whilePaused(() -> {
                String gid = api.submitted(account, Vendors.LONG_ORDER_MODEL, "{\"link\":\"" + link + "\",\"quantity\":100}");
                checks.start(checks.load(UUID.fromString(gid)).orElseThrow()).orElseThrow(); // its first submit failed
                assertThat(api.post("/v1/generations/" + gid + "/cancel", account.key(), "").status()).isEqualTo(202);
                stack.bean(GenerationExecutor.class).execute(UUID.fromString(gid), null); // JobRunr's retry
                return gid;
            });

            assertEnded(api.awaitEnd(account, id, END), "CANCELLED", 0, 100);
            assertThat(stack.vendors.smm.tasksStarted(link)).as("nothing was submitted after the cancel").isZero();
            assertThat(api.balance(account)).isEqualTo(500);
        }

        @Test
        void aModelThatCannotBeCancelledOnceStartedSaysWhyAndChangesNothing() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=3000] unstoppable\"}");
            Fixtures.awaitTaskRecorded(id);

            Api.Response r = api.post("/v1/generations/" + id + "/cancel", account.key(), "");

            assertThat(r.status()).isEqualTo(409);
            assertThat(r.errorCode()).isEqualTo("invalid_state");
            assertThat(r.body().path("error").path("message").asText()).contains("RUNNING").contains("before its vendor starts");
            assertThat(api.awaitEnd(account, id, END).path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stack.emulator.cancelRequests(id)).isZero();
            assertThat(api.balance(account)).isEqualTo(30);
        }
    }

    @Nested
    class FailureFees {
        @Test
        void aContentPolicyRefusalOnAModelWithAFeePostsExactlyThatFee() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, GenqStack.FEE_MODEL, "{\"prompt\":\"[reject] forbidden\"}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("error").path("code").asText()).isEqualTo("content_policy");
            assertEnded(done, "FAILED", GenqStack.FEE_COINS, 10 - GenqStack.FEE_COINS);
            assertThat(resolutions(id)).containsExactly("POST_PENDING " + GenqStack.FEE_COINS);
            assertThat(Fixtures.query("SELECT reason FROM ledger_transfer WHERE pending_id = ?", rs -> rs.getString(1), UUID.fromString(id)))
                .containsExactly("GENERATION_FAILURE_FEE");
            assertThat(api.balance(account)).isEqualTo(40 - GenqStack.FEE_COINS);
        }

        @Test
        void theSameRefusalOnAModelWithoutAFeeIsRefundedInFull() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[reject] forbidden\"}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("error").path("code").asText()).isEqualTo("content_policy");
            assertEnded(done, "FAILED", 0, 10);
            assertThat(api.balance(account)).isEqualTo(40);
        }

        @Test
        void anOrderThePanelRefusesForItsLinkKeepsThePriceWhereTheModelSaysSo() throws Exception {
            Api.Account account = api.newAccount(500);
            String id = api.submitted(account, Vendors.LONG_ORDER_MODEL,
                "{\"link\":\"https://t.me/[reject]wrong-" + UUID.randomUUID() + "\",\"quantity\":100}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("error").path("code").asText()).isEqualTo("provider_rejected");
            assertEnded(done, "FAILED", 100, 0);
            assertThat(api.balance(account)).isEqualTo(400);
        }
    }

    @Nested
    class Terms {
        @Test
        void theModelListShowsWhatCanBeCancelledAndWhatAFailureCharges() {
            Api.Account account = api.newAccount(1);
            JsonNode models = api.get("/v1/models", account.key()).body().path("data");

            JsonNode fee = model(models, GenqStack.FEE_MODEL);
            assertThat(fee.path("cancelAfterStart").asBoolean()).isFalse();
            assertThat(fee.path("failureFees").path("content_policy").asLong()).isEqualTo(GenqStack.FEE_COINS);
            JsonNode order = model(models, Vendors.LONG_ORDER_MODEL);
            assertThat(order.path("cancelAfterStart").asBoolean()).isTrue();
            assertThat(order.path("failureFees").path("provider_rejected").asText()).isEqualTo("price");
            assertThat(model(models, "emu-text").path("failureFees")).as("refunds every failure").isEmpty();
        }

        private static JsonNode model(JsonNode models, String id) {
            for (JsonNode m : models) {
                if (m.path("id").asText().equals(id)) {
                    return m;
                }
            }
            throw new AssertionError("GET /v1/models does not list " + id);
        }
    }

    @Nested
    class AdminLookup {
        @Test
        void anAdminFindsAGenerationByIdAndByAccountWithWhatItCharged() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"find me\"}");
            api.awaitEnd(account, id, END);

            JsonNode one = api.get("/admin/v1/generations/" + id, GenqStack.ADMIN_KEY).body();
            assertThat(one.path("accountId").asText()).isEqualTo(account.id().toString());
            assertThat(one.path("chargedCoins").asLong()).isEqualTo(1);
            assertThat(one.path("providerTaskId").isTextual()).isTrue();
            JsonNode page = api.get("/admin/v1/generations?status=SUCCEEDED&account=" + account.id(), GenqStack.ADMIN_KEY).body();
            assertThat(page.path("data")).hasSize(1);
            assertThat(api.get("/admin/v1/generations?status=QUEUED&account=" + account.id(), GenqStack.ADMIN_KEY).body().path("data"))
                .isEmpty();
        }

        @Test
        void badFiltersAre400AndAnAccountKeyIs401() {
            Api.Account account = api.newAccount(1);
            assertThat(api.get("/admin/v1/generations?status=LOST", GenqStack.ADMIN_KEY).errorCode()).isEqualTo("invalid_request");
            assertThat(api.get("/admin/v1/generations?account=nope", GenqStack.ADMIN_KEY).errorCode()).isEqualTo("invalid_request");
            assertThat(api.get("/admin/v1/generations?status=FAILED&overdue=true", GenqStack.ADMIN_KEY).errorCode())
                .isEqualTo("invalid_request");
            assertThat(api.get("/admin/v1/generations/" + UUID.randomUUID(), GenqStack.ADMIN_KEY).status()).isEqualTo(404);
            assertThat(api.get("/admin/v1/generations", account.key()).status()).isEqualTo(401);
        }
    }

    /** An ended generation's status, and what it shows charged and refunded. */
    private static void assertEnded(JsonNode done, String status, long chargedCoins, long refundedCoins) {
        assertThat(done.path("status").asText()).isEqualTo(status);
        assertThat(done.path("chargedCoins").asLong()).as("charged").isEqualTo(chargedCoins);
        assertThat(done.path("refundedCoins").asLong()).as("refunded").isEqualTo(refundedCoins);
    }

    /** The generation's reservation's resolution as "KIND amount", if it has one. */
    private static List<String> resolutions(String id) {
        return Fixtures.query("SELECT kind, amount_coins FROM ledger_transfer WHERE pending_id = ?",
            rs -> rs.getString(1) + " " + rs.getLong(2), UUID.fromString(id));
    }

    private static Instant reservationExpiry(String id) {
        return instant("SELECT expires_at FROM ledger_transfer WHERE id = ? AND kind = 'PENDING'", id);
    }

    private static Instant instant(String sql, String id) {
        return Fixtures.query(sql, rs -> rs.getTimestamp(1), UUID.fromString(id)).stream().map(Timestamp::toInstant).findFirst().orElseThrow();
    }

    private static void awaitAtLeast(IntSupplier count, int least) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(20);
        while (count.getAsInt() < least) {
            assertThat(Instant.now()).isBefore(until);
            Thread.sleep(50);
        }
    }

    private static double metric(String name) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + "/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1])).findFirst()
            .orElseThrow(() -> new AssertionError(name + " is not exported"));
    }
}
