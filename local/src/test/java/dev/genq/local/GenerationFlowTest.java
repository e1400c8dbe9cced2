package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.devkit.Tools;
import dev.genq.generation.GenerationExecutor;
import dev.genq.generation.StatusCache;
import dev.genq.maintenance.LostGenerationRequeuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.JedisPooled;

/** A generation end to end over HTTP against a running genq: priced, paid, run, stored, served. */
class GenerationFlowTest extends EndToEndTest {
    @Nested
    class Success {
        @Test
        void outputsDownloadThroughSignedUrlsAsExactlyTheProvidersBytes() throws Exception {
            Api.Account account = api.newAccount(100);
            Api.Response submitted = api.submit(account, "emu-image", "{\"prompt\":\"a fox\",\"n\":2}");
            assertThat(submitted.status()).isEqualTo(202);
            assertThat(submitted.body().path("status").asText()).isEqualTo("QUEUED");
            assertThat(submitted.body().path("priceCoins").asLong()).isEqualTo(20);
            String id = submitted.body().path("id").asText();

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("progress").asInt()).isEqualTo(100);
            assertThat(done.path("outputs")).hasSize(2);
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> download = api.download(done.path("outputs").get(i).path("url").asText());
                assertThat(download.statusCode()).isEqualTo(200);
                assertThat(download.body()).isEqualTo(stack.emulator.expectedOutput(id, i));
                assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
                assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(download.body())))
                    .as("an image a browser or a person can open").isNotNull();
            }
            assertThat(api.balance(account)).isEqualTo(80);
            assertThat(api.get("/v1/wallet", account.key()).body().path("spentCoins").asLong()).isEqualTo(20);
        }

        @Test
        void aTamperedUrlIsRefused() throws Exception {
            String url = succeededOutputUrl();
            String otherKey = url.replace("/0.png?", "/1.png?");
            String otherSignature = url.substring(0, url.length() - 1) + (url.endsWith("0") ? "1" : "0");

            assertThat(api.download(otherKey).statusCode()).isEqualTo(403);
            assertThat(api.download(otherSignature).statusCode()).isEqualTo(403);
        }

        @Test
        void anExpiredUrlIsRefused() throws Exception {
            String url = succeededOutputUrl();
            assertThat(api.download(url).statusCode()).isEqualTo(200);

            Thread.sleep((GenqStack.URL_TTL_SECONDS + 2) * 1000L);

            assertThat(api.download(url).statusCode()).isEqualTo(403);
        }

        @Test
        void eachReadMintsAFreshUrl() throws Exception {
            Api.Account account = api.newAccount(100);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"fresh\"}");
            api.awaitEnd(account, id, END);
            String first = api.get("/v1/generations/" + id, account.key()).body().path("outputs").get(0).path("url").asText();
            Thread.sleep(1100); // signatures carry a timestamp with one-second resolution
            String second = api.get("/v1/generations/" + id, account.key()).body().path("outputs").get(0).path("url").asText();

            assertThat(second).isNotEqualTo(first);
        }

        @Test
        void anOutputOfUnknownLengthIsSpooledAndStoredWhole() throws Exception {
            Api.Account account = api.newAccount(100);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[chunked] [bytes=50000]\"}");

            assertStoredWhole(api.awaitEnd(account, id, END), id, 50_000);
        }

        @Test
        void aLargeOutputIsStreamedIntoStorageInPartsWhetherItsLengthIsKnownOrNot() throws Exception {
            Api.Account account = api.newAccount(100);
            int bytes = 2 * GenqStack.PART_SIZE_BYTES + 12_345;
            String known = api.submitted(account, "emu-image", "{\"prompt\":\"[bytes=" + bytes + "]\"}");
            String chunked = api.submitted(account, "emu-image", "{\"prompt\":\"[chunked] [bytes=" + bytes + "]\"}");

            for (String id : List.of(known, chunked)) {
                assertStoredWhole(api.awaitEnd(account, id, END), id, bytes);
            }
        }

        /** Succeeded with one output of {@code bytes}, whose download is exactly what the vendor served. */
        private void assertStoredWhole(JsonNode done, String id, int bytes) throws Exception {
            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("outputs").get(0).path("sizeBytes").asLong()).isEqualTo(bytes);
            assertThat(api.download(done.path("outputs").get(0).path("url").asText()).body())
                .isEqualTo(stack.emulator.expectedOutput(id, 0));
        }

        @Test
        void theCommittedStatusIsPublishedToRedis() throws Exception {
            Api.Account account = api.newAccount(100);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"hello\"}");
            api.awaitEnd(account, id, END);

            String cached = stack.bean(JedisPooled.class).get(StatusCache.KEY_PREFIX + id);

            assertThat(cached).contains("\"status\":\"SUCCEEDED\"").contains(account.id().toString());
        }

        private String succeededOutputUrl() throws InterruptedException {
            Api.Account account = api.newAccount(100);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"two\",\"n\":2}");
            JsonNode done = api.awaitEnd(account, id, END);
            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            return done.path("outputs").get(0).path("url").asText();
        }
    }

    @Nested
    class ProviderFailure {
        @Test
        void aPermanentFailureFailsFastAndRestoresTheBalanceExactly() throws Exception {
            Api.Account account = api.newAccount(50);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[reject] forbidden\"}");
            assertThat(api.balance(account)).isEqualTo(40);

            JsonNode done = api.awaitEnd(account, id, END);

            assertFailed(done, "content_policy");
            assertThat(done.path("attempts").asInt()).isEqualTo(1);
            assertThat(done.path("outputs")).isEmpty();
            assertThat(api.balance(account)).isEqualTo(50);
            assertThat(stack.emulator.submits(id)).isEqualTo(1);
        }

        @Test
        void anOversizedOutputFailsAndRefundsWhetherItsLengthIsKnownOrNot() throws Exception {
            Api.Account account = api.newAccount(50);
            int tooBig = GenqStack.MAX_OUTPUT_BYTES + 1;
            String known = api.submitted(account, "emu-image", "{\"prompt\":\"[bytes=" + tooBig + "]\"}");
            String chunked = api.submitted(account, "emu-image", "{\"prompt\":\"[chunked] [bytes=" + tooBig + "]\"}");

            for (String id : List.of(known, chunked)) {
                JsonNode done = api.awaitEnd(account, id, END);
                assertFailed(done, "output_too_large");
            }
            assertThat(api.balance(account)).isEqualTo(50);
        }

        @Test
        void aTaskTheProviderFailsIsRefunded() throws Exception {
            failsAndRefundsInFull("emu-voice", "{\"prompt\":\"[fail]\",\"duration_s\":5}", "content_policy");
        }

        @Test
        void twoTransientFailuresThenSuccessChargeExactlyOnce() throws Exception {
            Api.Account account = api.newAccount(50);
            String id = api.submitted(account, "emu-image", "{\"prompt\":\"[transient=2] flaky\"}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("attempts").asInt()).isEqualTo(3);
            assertThat(stack.emulator.submits(id)).isEqualTo(3);
            assertThat(stack.emulator.tasksStarted(id)).isEqualTo(1);
            assertThat(api.balance(account)).isEqualTo(40);
            assertThat(transfersOf(account)).containsExactlyInAnyOrder("SINGLE", "PENDING", "POST_PENDING");
        }

        @Test
        void throttlingIsRetriedLikeAnOutage() throws Exception {
            Api.Account account = api.newAccount(50);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"[throttle=1] busy\"}");

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(done.path("attempts").asInt()).isEqualTo(2);
            assertThat(api.balance(account)).isEqualTo(49);
        }

        @Test
        void exhaustedRetriesFailAndRefund() throws Exception {
            JsonNode done = failsAndRefundsInFull("emu-image", "{\"prompt\":\"[transient=99] down\"}", "server_error");
            assertThat(done.path("attempts").asInt()).isEqualTo(GenqStack.MAX_ATTEMPTS);
            assertThat(stack.emulator.submits(done.path("id").asText())).isEqualTo(GenqStack.MAX_ATTEMPTS);
        }

        @Test
        void aModelMayAllowFewerAttemptsThanTheWorkerDefault() throws Exception {
            JsonNode done = failsAndRefundsInFull("emu-text-once", "{\"prompt\":\"[transient=1] once only\"}", "server_error");
            assertThat(stack.emulator.submits(done.path("id").asText())).isEqualTo(1);
        }

        /** Submits on a fresh account of 50 coins and expects the generation to fail with {@code code}, every coin back. */
        private JsonNode failsAndRefundsInFull(String model, String inputs, String code) throws Exception {
            Api.Account account = api.newAccount(50);
            JsonNode done = api.awaitEnd(account, api.submitted(account, model, inputs), END);
            assertFailed(done, code);
            assertThat(api.balance(account)).isEqualTo(50);
            return done;
        }
    }

    @Nested
    class Payment {
        @Test
        void anInsufficientBalanceIs402AndWritesNothing() throws Exception {
            Api.Account account = api.newAccount(5);

            Api.Response r = api.submit(account, "emu-image", "{\"prompt\":\"too dear\"}");

            assertThat(r.status()).isEqualTo(402);
            assertThat(r.errorCode()).isEqualTo("insufficient_funds");
            assertThat(r.body().path("error").path("message").asText()).contains("10").contains("5");
            assertThat(generationRowsOf(account)).isZero();
            assertThat(transfersOf(account)).containsExactly("SINGLE");
            assertThat(api.balance(account)).isEqualTo(5);
        }

        @Test
        void aQuotedSubmitPaysTheQuotedPrice() {
            Api.Account account = api.newAccount(100);
            Api.Response quote = api.post("/v1/quotes", account.key(), "{\"model\":\"emu-video\",\"inputs\":{\"prompt\":\"waves\",\"duration_s\":3}}");
            assertThat(quote.status()).isEqualTo(201);
            assertThat(quote.body().path("priceCoins").asLong()).isEqualTo(90);

            Api.Response r = api.post("/v1/generations", account.key(),
                "{\"model\":\"emu-video\",\"inputs\":{\"prompt\":\"waves\",\"duration_s\":3},\"quoteId\":\"" + quote.body().path("id").asText() + "\"}");

            assertThat(r.status()).isEqualTo(202);
            assertThat(r.body().path("priceCoins").asLong()).isEqualTo(90);
            assertThat(api.balance(account)).isEqualTo(10);
        }

        @Test
        void aQuoteForOtherInputsOrAnotherAccountIsRefused() {
            Api.Account account = api.newAccount(100);
            Api.Account stranger = api.newAccount(100);
            String quoteId = api.post("/v1/quotes", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"a\"}}")
                .body().path("id").asText();

            Api.Response otherInputs = api.post("/v1/generations", account.key(),
                "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"b\"},\"quoteId\":\"" + quoteId + "\"}");
            Api.Response foreign = api.post("/v1/generations", stranger.key(),
                "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"a\"},\"quoteId\":\"" + quoteId + "\"}");

            assertThat(otherInputs.status()).isEqualTo(409);
            assertThat(otherInputs.errorCode()).isEqualTo("quote_mismatch");
            assertThat(foreign.status()).isEqualTo(404);
            assertThat(generationRowsOf(account) + generationRowsOf(stranger)).isZero();
        }
    }

    @Nested
    class Cancel {
        @Test
        void cancellingAQueuedGenerationRefundsIt() {
            Api.Account account = api.newAccount(30);
            Api.Response r = Fixtures.whilePaused(() -> {
                String id = api.submitted(account, "emu-image", "{\"prompt\":\"wait\"}");
                assertThat(api.balance(account)).isEqualTo(20);
                return api.post("/v1/generations/" + id + "/cancel", account.key(), "");
            });

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("status").asText()).isEqualTo("CANCELLED");
            assertThat(api.balance(account)).isEqualTo(30);
        }

        @Test
        void cancellingAfterSuccessIs409AndChangesNothing() throws Exception {
            Api.Account account = api.newAccount(30);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"quick\"}");
            api.awaitEnd(account, id, END);

            Api.Response r = api.post("/v1/generations/" + id + "/cancel", account.key(), "");

            assertThat(r.status()).isEqualTo(409);
            assertThat(r.errorCode()).isEqualTo("invalid_state");
            assertThat(api.get("/v1/generations/" + id, account.key()).body().path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(api.balance(account)).isEqualTo(29);
        }
    }

    @Nested
    class StatusPolling {
        @Test
        void aPollWithTheCurrentETagIs304WithoutABodyAndAChangeGivesANewOne() throws Exception {
            Api.Account account = api.newAccount(30);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"[latency=1500] polled\"}");
            String whileUnfinished = api.get("/v1/generations/" + id, account.key()).headers().firstValue("ETag").orElseThrow();
            api.awaitEnd(account, id, END);
            startOfUrlRenewalPeriod(); // the tag also turns over every half URL lifetime: read both in one period

            Api.Response changed = api.get("/v1/generations/" + id, account.key(), Map.of("If-None-Match", whileUnfinished));
            String current = changed.headers().firstValue("ETag").orElseThrow();
            Api.Response unchanged = api.get("/v1/generations/" + id, account.key(), Map.of("If-None-Match", current));

            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.body().path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(current).isNotEqualTo(whileUnfinished);
            assertThat(changed.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
            assertThat(unchanged.status()).isEqualTo(304);
            assertThat(unchanged.raw()).isEmpty();
            assertThat(unchanged.headers().firstValue("ETag")).hasValue(current);
        }

        /** Waits until a half URL lifetime has just begun (the server shares this clock). */
        private static void startOfUrlRenewalPeriod() throws InterruptedException {
            long period = GenqStack.URL_TTL_SECONDS * 1000L / 2;
            Thread.sleep(period - System.currentTimeMillis() % period + 20);
        }

        @Test
        void anETagNeverLetsAnotherAccountSeeAGeneration() throws Exception {
            Api.Account owner = api.newAccount(30);
            Api.Account stranger = api.newAccount(30);
            String id = api.submitted(owner, "emu-text", "{\"prompt\":\"tagged\"}");
            String etag = api.get("/v1/generations/" + id, owner.key()).headers().firstValue("ETag").orElseThrow();

            assertThat(api.get("/v1/generations/" + id, stranger.key(), Map.of("If-None-Match", etag)).status()).isEqualTo(404);
        }

        @Test
        void aStatusRedisLostIsServedFromPostgresAndPublishedAgain() throws Exception {
            Api.Account account = api.newAccount(30);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"evicted\"}");
            api.awaitEnd(account, id, END);
            String etag = api.get("/v1/generations/" + id, account.key()).headers().firstValue("ETag").orElseThrow();
            try (JedisPooled redis = new JedisPooled(URI.create(dev.genq.devkit.services.TestServices.redis().uri()))) {
                redis.del(StatusCache.KEY_PREFIX + id);

                Api.Response fromPostgres = api.get("/v1/generations/" + id, account.key(), Map.of("If-None-Match", etag));

                assertThat(fromPostgres.status()).as("the same content has the same version wherever it is read from").isEqualTo(304);
                assertThat(redis.exists(StatusCache.KEY_PREFIX + id)).isTrue();
            }
        }
    }

    @Nested
    class Ownership {
        @Test
        void anotherAccountsGenerationIsNotFound() throws Exception {
            Api.Account owner = api.newAccount(30);
            Api.Account stranger = api.newAccount(30);
            String id = api.submitted(owner, "emu-text", "{\"prompt\":\"mine\"}");
            api.awaitEnd(owner, id, END);

            Api.Response read = api.get("/v1/generations/" + id, stranger.key());
            Api.Response cancel = api.post("/v1/generations/" + id + "/cancel", stranger.key(), "");

            assertThat(read.status()).isEqualTo(404);
            assertThat(read.errorCode()).isEqualTo("not_found");
            assertThat(cancel.status()).isEqualTo(404);
            assertThat(api.get("/v1/generations", stranger.key()).body().path("data")).isEmpty();
        }

        @Test
        void callsWithoutAValidKeyAre401() {
            assertThat(api.get("/v1/wallet", null).status()).isEqualTo(401);
            Api.Response wrong = api.get("/v1/wallet", "gq_not_a_key");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.errorCode()).isEqualTo("unauthorized");
            assertThat(api.post("/admin/v1/accounts", "gq_not_admin", "{\"name\":\"x\"}").status()).isEqualTo(401);
        }
    }

    @Nested
    class BadRequests {
        @Test
        void anUnknownModelIs400() {
            assertRejected(api.submit(api.newAccount(100), "no-such-model", "{\"prompt\":\"x\"}"), "unknown_model");
        }

        @Test
        void anOutOfRangeInputIs400() {
            assertRejected(api.submit(api.newAccount(100), "emu-image", "{\"prompt\":\"x\",\"n\":9}"), "invalid_input");
        }

        @Test
        void anUnknownInputIs400() {
            Api.Response r = api.submit(api.newAccount(100), "emu-image", "{\"prompt\":\"x\",\"steps\":30}");
            assertRejected(r, "invalid_input");
            assertThat(r.body().path("error").path("message").asText()).contains("steps");
        }

        @Test
        void aWrongTypeOrMissingRequiredInputIs400() {
            Api.Account account = api.newAccount(100);
            assertRejected(api.submit(account, "emu-image", "{\"prompt\":\"x\",\"n\":\"two\"}"), "invalid_input");
            assertRejected(api.submit(account, "emu-image", "{\"n\":1}"), "invalid_input");
            assertRejected(api.submit(account, "emu-image", "{\"prompt\":\"x\",\"size\":\"9x9\"}"), "invalid_input");
        }

        @Test
        void anUnknownJsonFieldIs400() {
            Api.Account account = api.newAccount(100);
            assertRejected(api.post("/v1/generations", account.key(),
                "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"},\"priority\":1}"), "invalid_request");
        }

        @Test
        void malformedJsonAndAMissingModelAre400() {
            Api.Account account = api.newAccount(100);
            assertRejected(api.post("/v1/generations", account.key(), "{\"model\":"), "invalid_request");
            assertRejected(api.post("/v1/generations", account.key(), "{\"inputs\":{\"prompt\":\"x\"}}"), "invalid_request");
        }

        private void assertRejected(Api.Response r, String code) {
            assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo(code);
            assertThat(r.body().path("error").path("message").asText()).isNotBlank();
        }
    }

    @Nested
    class AtLeastOnceExecution {
        /** A job's first execution carries the model (one statement takes it from QUEUED); a re-run knows only the id. */
        @ParameterizedTest
        @NullSource
        @ValueSource(strings = "emu-image")
        void theHandlerRunTwiceAtOnceChargesOnce(String firstRunModel) throws Exception {
            Api.Account account = api.newAccount(40);
            GenerationExecutor executor = stack.bean(GenerationExecutor.class);
            String id = Fixtures.whilePaused(() -> {
                String gid = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=300] twice\"}");
                Fixtures.concurrently(2, i -> {
                    executor.execute(UUID.fromString(gid), firstRunModel);
                    return null;
                });
                return gid;
            });

            JsonNode done = api.awaitEnd(account, id, END);

            assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(api.balance(account)).isEqualTo(30);
            assertThat(stack.emulator.tasksStarted(id)).isEqualTo(1);
            assertThat(transfersOf(account)).containsExactlyInAnyOrder("SINGLE", "PENDING", "POST_PENDING");
        }

        @Test
        void aRunAfterTheEndChangesNothing() throws Exception {
            Api.Account account = api.newAccount(40);
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"once\"}");
            JsonNode before = api.awaitEnd(account, id, END);

            stack.bean(GenerationExecutor.class).execute(UUID.fromString(id));

            JsonNode after = api.get("/v1/generations/" + id, account.key()).body();
            assertThat(after.path("attempts")).isEqualTo(before.path("attempts"));
            assertThat(after.path("finishedAt")).isEqualTo(before.path("finishedAt"));
            assertThat(api.balance(account)).isEqualTo(39);
            assertThat(stack.emulator.submits(id)).isEqualTo(1);
        }
    }

    @Nested
    class LostEnqueue {
        @Test
        void aPaidGenerationWhoseJobWasLostIsRequeuedAndRuns() throws Exception {
            Api.Account account = api.newAccount(40);
            StorageProvider jobs = stack.bean(StorageProvider.class);
            String id = Fixtures.whilePaused(() -> {
                String gid = api.submitted(account, "emu-text", "{\"prompt\":\"lost\"}");
                awaitJob(jobs, UUID.fromString(gid)); // jobs are enqueued in batches just after the submit answers
                jobs.deletePermanently(UUID.fromString(gid));

                int requeued = stack.bean(LostGenerationRequeuer.class).runOnce();

                assertThat(requeued).isGreaterThanOrEqualTo(1);
                assertThat(jobs.getJobById(UUID.fromString(gid))).isNotNull();
                return gid;
            });

            assertThat(api.awaitEnd(account, id, END).path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(api.balance(account)).isEqualTo(39);
        }

        private static void awaitJob(StorageProvider jobs, UUID id) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    jobs.getJobById(id);
                    return;
                } catch (org.jobrunr.storage.JobNotFoundException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(20);
                }
            }
        }
    }

    @Nested
    class History {
        @Test
        void isNewestFirstAndPagedByCursor() {
            Api.Account account = api.newAccount(100);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(0, api.submitted(account, "emu-text", "{\"prompt\":\"p" + i + "\"}"));
            }

            List<String> seen = new ArrayList<>();
            String cursor = "";
            do {
                JsonNode page = api.get("/v1/generations?limit=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor), account.key()).body();
                assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
                page.path("data").forEach(g -> seen.add(g.path("id").asText()));
                cursor = page.path("nextCursor").isNull() ? "" : page.path("nextCursor").asText();
            } while (!cursor.isEmpty());

            assertThat(seen).containsExactlyElementsOf(ids);
            assertThat(api.get("/v1/generations?limit=0", account.key()).status()).isEqualTo(400);
            assertThat(api.get("/v1/generations?cursor=garbage", account.key()).errorCode()).isEqualTo("invalid_request");
        }

        @Test
        void aFullLastPageSaysItIsTheLast() {
            Api.Account account = api.newAccount(100);
            api.submitted(account, "emu-text", "{\"prompt\":\"one\"}");
            api.submitted(account, "emu-text", "{\"prompt\":\"two\"}");

            JsonNode page = api.get("/v1/generations?limit=2", account.key()).body();

            assertThat(page.path("data")).hasSize(2);
            assertThat(page.path("nextCursor").isNull()).isTrue();
            Api.Account fresh = api.newAccount(5);
            JsonNode ledger = api.get("/admin/v1/accounts/" + fresh.id() + "/ledger?limit=1", GenqStack.ADMIN_KEY).body();
            assertThat(ledger.path("data")).as("its opening credit").hasSize(1);
            assertThat(ledger.path("nextCursor").isNull()).isTrue();
        }
    }

    @Nested
    class Operations {
        @Test
        void prometheusShowsGenerationsCoinsAndProviderLatency() throws Exception {
            String text = scrapeAfterAGeneration();

            assertThat(text).contains("genq_generations_submitted_total{model=\"emu-text\"}")
                .contains("genq_generations_finished_total{model=\"emu-text\",status=\"succeeded\"}")
                .contains("genq_coins_total{operation=\"reserved\"}")
                .contains("genq_coins_total{operation=\"posted\"}")
                .contains("genq_provider_call_seconds_count{operation=\"submit\",outcome=\"ok\",provider=\"emulator\"}");
        }

        @Test
        void everyGenqMetricHasHelpTextAndTheLatenciesHaveBuckets() throws Exception {
            String text = scrapeAfterAGeneration();

            List<String> helps = text.lines().filter(l -> l.startsWith("# HELP genq_")).toList();
            assertThat(helps).hasSizeGreaterThanOrEqualTo(10);
            assertThat(helps).allSatisfy(help -> assertThat(help.split(" ", 4)).as(help).hasSize(4)
                .satisfies(parts -> assertThat(parts[3]).as(help).isNotBlank()));
            assertThat(text).contains("genq_generation_duration_seconds_bucket{model=\"emu-text\",status=\"succeeded\",le=")
                .contains("genq_provider_call_seconds_bucket{")
                .contains("genq_generations_active{model=\"emu-text\",status=\"queued\"}")
                .contains("genq_generations_active{model=\"emu-video\",status=\"running\"}")
                .contains("genq_generations_queued_oldest_seconds ");
        }

        @Test
        void theScalingSignalCountsQueuedWorkPerModelTheOldestAgeAndVendorTasksPerAccount() throws Exception {
            Api.Account account = api.newAccount(100);
            String running = api.submitted(account, "emu-image", "{\"prompt\":\"[latency=5000] keeps its vendor busy\"}");
            Fixtures.awaitTaskRecorded(running);
            Fixtures.whilePaused(() -> {
                api.submitted(account, "emu-text", "{\"prompt\":\"waits 1\"}");
                api.submitted(account, "emu-text", "{\"prompt\":\"waits 2\"}");
                Thread.sleep(1_200);
                String text = scrape();
                assertThat(gauge(text, "genq_generations_active{model=\"emu-text\",status=\"queued\"}")).isGreaterThanOrEqualTo(2);
                assertThat(gauge(text, "genq_generations_queued_oldest_seconds")).isGreaterThanOrEqualTo(1.0);
                assertThat(gauge(text, "genq_vendor_tasks_inflight{provider=\"emulator\"}")).isGreaterThanOrEqualTo(1);
                return null;
            });
            assertThat(api.awaitEnd(account, running, END).path("status").asText()).isEqualTo("SUCCEEDED");
        }

        private double gauge(String scrape, String series) {
            return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series));
        }

        private String scrape() throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }

        @Test
        void promtoolFindsNothingToLintInTheMetrics() throws Exception {
            String text = scrapeAfterAGeneration();

            Process promtool = new ProcessBuilder(Tools.require("promtool", "prometheus").toString(), "check", "metrics")
                .redirectErrorStream(true).start();
            try (var in = promtool.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            List<String> problems = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            promtool.waitFor();

            // Micrometer's own process_cpu_time_ns_total and system_cpu_count keep the names JVM dashboards query.
            assertThat(problems).as("genq's metrics lint clean, and every metric has help text")
                .noneMatch(line -> line.startsWith("genq_") || line.contains("help"));
            assertThat(problems).allMatch(line -> line.startsWith("process_") || line.startsWith("system_") || line.startsWith("jvm_"));
        }

        /** /prometheus once a generation has run, so that every meter it touches exists. */
        private String scrapeAfterAGeneration() throws Exception {
            Api.Account account = api.newAccount(100);
            api.awaitEnd(account, api.submitted(account, "emu-text", "{\"prompt\":\"metrics\"}"), END);
            return scrape();
        }

        @Test
        void theDashboardIsBehindBasicAuth() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            URI dashboard = URI.create("http://127.0.0.1:" + stack.dashboardPort + "/api/jobs?state=SUCCEEDED");
            String credentials = Base64.getEncoder().encodeToString(("admin:" + GenqStack.DASHBOARD_PASSWORD).getBytes(StandardCharsets.UTF_8));

            int anonymous = http.send(HttpRequest.newBuilder(dashboard).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            int authorised = http.send(HttpRequest.newBuilder(dashboard).header("Authorization", "Basic " + credentials).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();

            assertThat(anonymous).isEqualTo(401);
            assertThat(authorised).isEqualTo(200);
        }
    }

    private static void assertFailed(JsonNode generation, String code) {
        assertThat(generation.path("status").asText()).isEqualTo("FAILED");
        assertThat(generation.path("error").path("code").asText()).isEqualTo(code);
    }

    private static long generationRowsOf(Api.Account account) {
        return Fixtures.count("SELECT count(*) FROM generation WHERE account_id = ?", account.id());
    }

    private static List<String> transfersOf(Api.Account account) {
        return Fixtures.query("SELECT kind FROM ledger_transfer WHERE debit_account_id = ? OR credit_account_id = ?",
            rs -> rs.getString(1), account.id(), account.id());
    }
}
