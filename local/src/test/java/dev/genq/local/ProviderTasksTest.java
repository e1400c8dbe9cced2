package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.devkit.services.TestServices;
import dev.genq.generation.GenerationExecutor;
import dev.genq.generation.TaskChecks;
import dev.genq.server.Application;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Vendor tasks are followed by the poller: no JobRunr worker waits, re-runs resume, deadlines cancel, idle polls are few. */
class ProviderTasksTest extends EndToEndTest {
    private static final Duration LONGEST_POLL_PAUSE = Duration.ofSeconds(30);

    @Nested
    class Waiting {
        @Test
        void waitingOnVendorsHoldsNoJobRunrWorker() throws Exception {
            int generations = 10 * GenqStack.JOBRUNR_WORKERS;
            Api.Account account = api.newAccount(1_000);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < generations; i++) {
                ids.add(api.submitted(account, "emu-text", "{\"prompt\":\"[latency=20000] slow " + i + "\"}"));
            }

            // Were each wait to hold a worker, only 4 of these 20-second tasks could have started by now.
            Instant deadline = Instant.now().plusSeconds(15);
            long started;
            do {
                Thread.sleep(250);
                started = Fixtures.count("SELECT count(*) FROM generation WHERE account_id = ? AND provider_task_id IS NOT NULL", account.id());
            } while (started < generations && Instant.now().isBefore(deadline));
            assertThat(started).isEqualTo(generations);

            for (String id : ids) {
                assertThat(api.awaitEnd(account, id, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("SUCCEEDED");
            }
            assertThat(api.balance(account)).isEqualTo(1_000 - generations);
        }
    }

    @Nested
    class Resuming {
        @Test
        void aRunAfterTheVendorTaskStartedFollowsItInsteadOfSubmittingAgain() throws Exception {
            Api.Account account = api.newAccount(40);
            GenerationExecutor executor = stack.bean(GenerationExecutor.class);
            String id = Fixtures.whilePaused(() -> {
                String gid = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=1500] resume\"}");
                executor.execute(UUID.fromString(gid));
                executor.execute(UUID.fromString(gid)); // as if JobRunr ran the job again after a crash
                return gid;
            });

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            // JobRunr's own copy of the job may run once more after the resume: every run counts, none resubmits.
            assertThat(done.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(stack.emulator.submits(id)).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(30);
        }

        @Test
        void aJobRunAgainAfterItsWorkerDiedBeforeRecordingAVendorTaskSubmitsItAndEnds() throws Exception {
            Api.Account account = api.newAccount(40);
            GenerationExecutor executor = stack.bean(GenerationExecutor.class);
            String id = Fixtures.whilePaused(() -> {
                String gid = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=300] orphaned\"}");
                // what a worker killed between starting the generation and recording its vendor task leaves
                Fixtures.update("UPDATE generation SET status = 'RUNNING', attempts = 1, started_at = now() WHERE id = ?::uuid", gid);
                executor.execute(UUID.fromString(gid), "emu-image"); // JobRunr's re-run, with the job's own arguments
                return gid;
            });

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stack.emulator.tasksStarted(id)).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(30);
        }
    }

    @Nested
    class Webhooks {
        @Test
        void aVerifiedWebhookFinishesATaskWithoutThePollerFromItsBodyAndAFailureOnceTheVendorConfirmsIt() throws Exception {
            Api.Account account = api.newAccount(40);
            String succeeded = leftToItsWebhook(account, "[latency=3000] hooked");
            String failed = leftToItsWebhook(account, "[latency=3000] [fail] hooked");

            JsonNode done = api.awaitEnd(account, succeeded, Duration.ofSeconds(20));
            JsonNode refunded = api.awaitEnd(account, failed, Duration.ofSeconds(20));

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stack.emulator.webhookAnswers(succeeded)).contains(202);
            assertThat(stack.emulator.statusReads(succeeded)).as("the signed webhook's report is the answer: the vendor is not asked again")
                .isZero();
            assertThat(refunded.path("status").asText()).isEqualTo("FAILED");
            assertThat(refunded.path("error").path("code").asText()).isEqualTo("content_policy");
            assertThat(stack.emulator.statusReads(failed)).as("the refund rests on the vendor's own answer").isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(40 - 10);
        }

        @Test
        void aWebhookWhileTheWorkerStoresAFinishedTasksOutputsDoesNotStoreThemTwice() throws Exception {
            Api.Account account = api.newAccount(40);
            // The vendor answers the submit with the result and calls back 20 ms later, while the
            // worker is still downloading the output.
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=0] [download-delay=2000] at once\"}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stack.emulator.webhookAnswers(id)).contains(202);
            assertThat(stack.emulator.downloads(id)).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(30);
        }

        @Test
        void aBadlySignedWebhookIsRefusedAndPollingStillFinishesTheTask() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=500] [webhook-badsig] forged\"}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stack.emulator.webhookAnswers(id)).containsOnly(401);
            assertThat(api.balance(account)).isEqualTo(30);
        }

        @Test
        void aWebhookBeforeTheSubmitAnswerIsHarmless() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=500] [webhook-early] eager\"}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stack.emulator.submits(id)).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(30);
        }

        @Test
        void aReplayedOrStaleWebhookChangesNothing() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"[latency=300] once\"}");
            api.awaitEnd(account, id, END);
            String body = "{\"id\":\"whatever\"}";
            String stale = Long.toString(Instant.now().minusSeconds(600).getEpochSecond());

            Api.Response replay = api.post("/webhooks/providers/emulator", null, body,
                java.util.Map.of("webhook-timestamp", stale, "webhook-signature", "v1=" + hmac(stale + "." + body)));
            Api.Response unknownAccount = api.post("/webhooks/providers/nobody", null, body, java.util.Map.of());

            assertThat(replay.status()).isEqualTo(401);
            assertThat(unknownAccount.status()).isEqualTo(404);
            assertThat(api.balance(account)).isEqualTo(39);
        }

        @Test
        void aTaskWokenOnAWorkerWithNoRoomToCheckItIsLeftDueForAnyWorkersPollInsteadOfWaitingForThatRoom() throws Exception {
            Api.Account account = api.newAccount(40);
            // Their webhooks are refused (bad signature): only the wakes below reach these tasks.
            String slow = leftToItsWebhook(account, "[latency=200] [download-delay=6000] [webhook-badsig] holds the room");
            String next = leftToItsWebhook(account, "[latency=200] [webhook-badsig] finds no room");
            int port = TestServices.freePort();
            Map<String, Object> oneCheckAtATime = stack.propertiesForAnotherNode(port);
            oneCheckAtATime.put("genq.worker.max-checks-in-flight", 1);
            awaitNoOtherCheckDueWithin(LONGEST_POLL_PAUSE.plusSeconds(10), UUID.fromString(slow), UUID.fromString(next));

            try (ApplicationContext worker = Application.startManaged(Set.of("worker"), oneCheckAtATime);
                 ApplicationContext another = aWorkerWithLongPollPauses()) {
                TaskChecks checks = worker.getBean(TaskChecks.class);
                checks.wakeSoon("emulator", taskOf(slow), null);
                awaitDownloadStarted(slow); // its check holds this worker's only room for 6 s
                Counter anotherPolls = quietAfterFirstPoll(another);
                Instant woken = Instant.now();
                checks.wakeSoon("emulator", taskOf(next), null);

                Instant polled = awaitPoll(anotherPolls, woken.plusSeconds(5));
                assertThat(polled).as("a worker pausing for 30 s is told over Redis and polls at once")
                    .isNotNull().isBefore(woken.plusMillis(1_500));
                JsonNode done = api.awaitEnd(account, next, Duration.ofSeconds(15));

                assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(Fixtures.query("SELECT status FROM generation WHERE id = ?", rs -> rs.getString(1), UUID.fromString(slow)))
                    .as("the task holding the room is still being stored").containsExactly("RUNNING");
                assertThat(api.awaitEnd(account, slow, END).path("status").asText()).isEqualTo("SUCCEEDED");
            }
            assertThat(api.balance(account)).isEqualTo(40 - 20);
        }

        private String hmac(String text) throws Exception {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(GenqStack.WEBHOOK_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        private void awaitDownloadStarted(String id) throws InterruptedException {
            Instant until = Instant.now().plusSeconds(15);
            while (stack.emulator.downloads(id) == 0) {
                assertThat(Instant.now()).isBefore(until);
                Thread.sleep(20);
            }
        }
    }

    @Nested
    class Deadlines {
        @Test
        void aTaskPastItsDeadlineIsCancelledAtTheVendorAndRefunded() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=600000] forever\"}");
            Fixtures.awaitTaskRecorded(id);

            Fixtures.update("UPDATE generation SET provider_deadline_at = now() - interval '1 second', next_check_at = now() WHERE id = ?",
                UUID.fromString(id));
            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("FAILED");
            assertThat(done.path("error").path("code").asText()).isEqualTo("provider_timeout");
            assertThat(stack.emulator.cancelled(id)).isTrue();
            assertThat(api.balance(account)).isEqualTo(40);
        }

        @Test
        void aStatusGenqDoesNotKnowIsNotAnEndButTheDeadlineEndsIt() throws Exception {
            Api.Account account = api.newAccount(40);
            String prompt = "[odd-status] [latency=600000] a status of tomorrow " + UUID.randomUUID();
            String id = api.submitted(account, "rep-video", "{\"prompt\":\"" + prompt + "\"}");
            Fixtures.awaitTaskRecorded(id);
            long reads = stack.vendors.replicate.statusReads(prompt);
            while (stack.vendors.replicate.statusReads(prompt) < reads + 1) { // a check read the odd status
                Thread.sleep(50);
            }
            assertThat(api.get("/v1/generations/" + id, account.key()).body().path("status").asText()).isEqualTo("RUNNING");

            Fixtures.update("UPDATE generation SET provider_deadline_at = now() - interval '1 second', next_check_at = now() WHERE id = ?",
                UUID.fromString(id));
            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("FAILED");
            assertThat(stack.vendors.replicate.cancelled(prompt)).isTrue();
            assertThat(api.balance(account)).isEqualTo(40);
        }
    }

    @Nested
    class Polling {
        @Test
        void anIdleWorkerPollsWhenTheNextCheckFallsDueNotAtEveryTick() throws Exception {
            Api.Account account = api.newAccount(40);
            // Done at the vendor, their webhooks refused: each ends at the first check that asks.
            UUID dueByTheDatabase = UUID.fromString(leftToItsWebhook(account, "[latency=100] [webhook-badsig] due by the database"));
            UUID dueByTheWorker = UUID.fromString(leftToItsWebhook(account, "[latency=100] [webhook-badsig] due by the worker"));
            awaitNoOtherCheckDueWithin(LONGEST_POLL_PAUSE.plusSeconds(10), dueByTheDatabase, dueByTheWorker);
            Instant dueAt = Fixtures.query("UPDATE generation SET next_check_at = now() + interval '4 seconds' WHERE id = ? RETURNING next_check_at",
                rs -> rs.getTimestamp(1).toInstant(), dueByTheDatabase).getFirst();

            try (ApplicationContext worker = aWorkerWithLongPollPauses()) {
                Counter polls = quietAfterFirstPoll(worker);
                double quiet = polls.count();

                Instant polled = awaitPoll(polls, dueAt.plusSeconds(2));
                assertThat(polled).as("it polls when the check the database holds falls due").isBetween(dueAt, dueAt.plusMillis(500));
                assertThat(polls.count() - quiet).as("and not before it, where every 250 ms tick would have been a poll")
                    .isLessThanOrEqualTo(2); // the poll that claimed it and the one after
                assertThat(api.awaitEnd(account, dueByTheDatabase.toString(), END).path("status").asText()).isEqualTo("SUCCEEDED");

                Thread.sleep(500);
                TaskChecks checks = worker.getBean(TaskChecks.class);
                Instant dueByWrite = Instant.now().plusMillis(1_500);
                checks.scheduleCheck(checks.load(dueByTheWorker).orElseThrow(), dueByWrite);
                polled = awaitPoll(polls, dueByWrite.plusSeconds(2));
                assertThat(polled).as("a check this worker made due during its pause ends the pause when it falls due")
                    .isBetween(dueByWrite, dueByWrite.plusMillis(500));
                assertThat(api.awaitEnd(account, dueByTheWorker.toString(), END).path("status").asText()).isEqualTo("SUCCEEDED");
            }
            assertThat(api.balance(account)).isEqualTo(40 - 20);
        }
    }

    /** When the worker next polled (its {@code genq.worker.task.polls}), or null if not before {@code until}. */
    private static Instant awaitPoll(Counter polls, Instant until) throws InterruptedException {
        double before = polls.count();
        while (Instant.now().isBefore(until)) {
            if (polls.count() > before) {
                return Instant.now();
            }
            Thread.sleep(10);
        }
        return null;
    }

    /** Earlier tests' vendor tasks may still be followed; a test of when a worker polls needs none of them due meanwhile. */
    private static void awaitNoOtherCheckDueWithin(Duration window, UUID... these) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(60);
        String dueSoon = "SELECT count(*) FROM generation WHERE status = 'RUNNING' AND provider_task_id IS NOT NULL"
            + " AND next_check_at < now() + make_interval(secs => ?) AND id <> ALL(?)";
        while (Fixtures.count(dueSoon, (double) window.toSeconds(), these) > 0) {
            assertThat(Instant.now()).as("other vendor tasks kept falling due").isBefore(until);
            Thread.sleep(200);
        }
    }

    /** A worker node beside the test stack's whose poller pauses up to 30 s: it polls early only when it learns of a check due. */
    private ApplicationContext aWorkerWithLongPollPauses() {
        Map<String, Object> longPauses = stack.propertiesForAnotherNode(TestServices.freePort());
        longPauses.put("genq.worker.max-poll-pause", LONGEST_POLL_PAUSE.toSeconds() + "s");
        return Application.startManaged(Set.of("worker"), longPauses);
    }

    /** The worker's poll counter, once its first poll (which finds nothing due and reads when the next check is) is past. */
    private static Counter quietAfterFirstPoll(ApplicationContext worker) throws InterruptedException {
        Counter polls = worker.getBean(MeterRegistry.class).get("genq.worker.task.polls").counter();
        Instant until = Instant.now().plusSeconds(10);
        while (polls.count() == 0) {
            assertThat(Instant.now()).as("the worker's poller started").isBefore(until);
            Thread.sleep(10);
        }
        Thread.sleep(200);
        return polls;
    }

    /** Submits an image and moves its first scheduled check an hour away, so only the vendor's webhook ends it soon. */
    private String leftToItsWebhook(Api.Account account, String prompt) throws Exception {
        String id = api.submitted(account, "emu-image", "{\"prompt\":\"" + prompt + "\"}");
        Fixtures.awaitTaskRecorded(id);
        Thread.sleep(300); // past the dispatch's own first scheduling of a check
        Fixtures.update("UPDATE generation SET next_check_at = now() + interval '1 hour' WHERE id = ?", UUID.fromString(id));
        return id;
    }

    private static String taskOf(String id) {
        return Fixtures.query("SELECT provider_task_id FROM generation WHERE id = ?", rs -> rs.getString(1), UUID.fromString(id)).getFirst();
    }
}
