package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.ledger.LedgerAudit;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** End-to-end tests against the one running genq of this JVM; the ledger must balance after each. */
abstract class EndToEndTest {
    static final Duration END = Duration.ofSeconds(60);
    static GenqStack stack;
    static Api api;

    @BeforeAll
    static void start() {
        stack = GenqStack.get();
        api = stack.api;
    }

    @AfterEach
    void ledgerStillBalances() {
        assertThat(stack.bean(LedgerAudit.class).discrepancies())
            .as("credited = balance + reserved + posted for every account; one reservation per generation")
            .isEmpty();
    }
}
