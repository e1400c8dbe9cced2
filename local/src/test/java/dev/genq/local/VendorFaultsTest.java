package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.local.Vendors.Vendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix: every fault each vendor emulator can inject, through the whole of genq. For each,
 * the generation ends in the right state, the coins are right (charged, refunded, or the delivered
 * share), and the vendor started exactly the tasks it should (one, or none when it refused): a
 * resend after an answer genq never got reaches only vendors that recognise resends. All cases are
 * submitted at once up front, so the matrix costs about as long as its slowest case.
 */
class VendorFaultsTest extends EndToEndTest {
    private static final long BUDGET = 1_000;

    /** What should come of one fault at one vendor. */
    enum Outcome { SUCCEEDS, FAILS, PARTIAL }

    record Case(Vendor vendor, String fault, String directives, Outcome outcome, String errorCode, int tasks, String webhooks) {
        @Override
        public String toString() {
            return vendor + ": " + fault;
        }
    }

    /** A submitted case: its account, generation and the text carrying the directives. */
    record Submitted(Api.Account account, String generationId, String text) {
    }

    private static final Map<Case, Submitted> SUBMITTED = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (Vendor v : GenqStack.get().vendors.all) {
            String unknownFate = v.idempotent() ? null : "provider_submit_unknown";
            Outcome afterLostAnswer = v.idempotent() ? Outcome.SUCCEEDS : Outcome.FAILS;
            cases.add(new Case(v, "latency", "[latency=1500]", Outcome.SUCCEEDS, null, 1, null));
            cases.add(new Case(v, "429 with Retry-After", "[throttle=1]", Outcome.SUCCEEDS, null, 1, null));
            cases.add(new Case(v, "500", "[transient=1]", Outcome.SUCCEEDS, null, 1, null));
            cases.add(new Case(v, "connection reset", "[reset=1]", afterLostAnswer, unknownFate, 1, null));
            cases.add(new Case(v, "timeout", "[timeout=1] [latency=200]", afterLostAnswer, unknownFate, 1, null));
            cases.add(new Case(v, "malformed JSON answer", "[malformed=1]", afterLostAnswer, unknownFate, 1, null));
            cases.add(new Case(v, "content policy refusal", "[reject]", Outcome.FAILS, null, 0, null));
            cases.add(new Case(v, "task failed at the vendor", "[fail]", Outcome.FAILS, null, 1, null));
            if (v.async()) {
                cases.add(new Case(v, "malformed status answers", "[garbled=2]", Outcome.SUCCEEDS, null, 1, null));
            }
            if (v.files()) {
                cases.add(new Case(v, "wrong content type", "[ctype=text/html]", Outcome.FAILS, "output_wrong_type", 1, null));
                cases.add(new Case(v, "oversized output", "[bytes=" + (GenqStack.MAX_OUTPUT_BYTES + 1) + "]", Outcome.FAILS, "output_too_large", 1, null));
            }
            if (v.files() && v.async()) { // synchronous OpenAI hands the images over in its answer
                cases.add(new Case(v, "output link already expired", "[expired]", Outcome.FAILS, "output_download_failed", 1, null));
            }
            if (v.webhooks()) {
                cases.add(new Case(v, "webhook with a bad signature", "[webhook-badsig] [latency=500]", Outcome.SUCCEEDS, null, 1, "401"));
                cases.add(new Case(v, "webhook replayed", "[webhook-replay] [latency=500]", Outcome.SUCCEEDS, null, 1, "202,202"));
                cases.add(new Case(v, "webhook before the submit answer", "[webhook-early] [latency=800]", Outcome.SUCCEEDS, null, 1, "202"));
            }
            if (v.name().equals("smm")) {
                cases.add(new Case(v, "partial delivery", "[remains=30]", Outcome.PARTIAL, null, 1, null));
            }
        }
        return cases.stream().map(Arguments::of);
    }

    @BeforeAll
    static void submitEveryCaseAtOnce() {
        cases().map(a -> (Case) a.get()[0]).parallel().forEach(c -> {
            Api.Account account = api.newAccount(BUDGET);
            String directives = c.directives() + " " + c.vendor().name() + " " + java.util.UUID.randomUUID();
            String id = api.submitted(account, c.vendor().model(), c.vendor().inputs(directives));
            SUBMITTED.put(c, new Submitted(account, id, c.vendor().text(directives)));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGenerationEndsRightWithTheRightCoinsAndNoSecondTask(Case c) throws Exception {
        Submitted s = SUBMITTED.get(c);
        JsonNode end = api.awaitEnd(s.account(), s.generationId(), END);
        long price = end.path("priceCoins").asLong();

        switch (c.outcome()) {
            case SUCCEEDS -> {
                assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("SUCCEEDED");
                assertThat(api.balance(s.account())).isEqualTo(BUDGET - price);
            }
            case PARTIAL -> {
                assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("SUCCEEDED");
                assertThat(api.balance(s.account())).isEqualTo(BUDGET - price * 70 / 100);
            }
            case FAILS -> {
                assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("FAILED");
                if (c.errorCode() != null) {
                    assertThat(end.path("error").path("code").asText()).isEqualTo(c.errorCode());
                }
                assertThat(api.balance(s.account())).as("refunded in full").isEqualTo(BUDGET);
            }
        }
        String marker = c.vendor().marker(s.generationId(), s.text());
        assertThat(c.vendor().emulator().tasksStarted(marker)).as("tasks the vendor started (and billed)").isEqualTo(c.tasks());
        if (c.webhooks() != null) {
            awaitWebhooks(c, marker);
            assertThat(c.vendor().emulator().webhookAnswers(marker)).containsExactlyElementsOf(
                Stream.of(c.webhooks().split(",")).map(Integer::valueOf).toList());
        }
    }

    /** Webhooks are sent after the task ends and may still be on their way when the generation is seen done. */
    private static void awaitWebhooks(Case c, String marker) throws InterruptedException {
        long until = System.currentTimeMillis() + 5_000;
        while (c.vendor().emulator().webhookAnswers(marker).size() < c.webhooks().split(",").length && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
    }
}
