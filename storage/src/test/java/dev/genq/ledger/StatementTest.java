package dev.genq.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.genq.account.AccountService;
import dev.genq.support.StorageContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every kind of ledger movement as the owner's statement shows it, and the lines adding up to the balance. */
class StatementTest {
    private static final Instant START = Instant.parse("9999-12-31T23:59:59Z");
    private static final UUID LAST = new UUID(-1L, -1L);
    private final Ledger ledger = StorageContext.get().getBean(Ledger.class);
    private final Statement statement = StorageContext.get().getBean(Statement.class);

    @Test
    void eachMovementIsOneLineWhoseEffectsAddUpToTheBalance() throws Exception {
        UUID account = anAccount();
        UUID failed = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        step(ledger.credit(UUID.randomUUID(), account, 500, "nowpayments:4711"));
        step(ledger.adjust(UUID.randomUUID(), account, -20, "goodwill debit", "ops"));
        step(ledger.reserve(failed, account, 100, Instant.now().plusSeconds(3600)));
        step(ledger.post(failed, 15, TransferReason.GENERATION_FAILURE_FEE)); // the model's fee for that error; 85 back
        step(ledger.reserve(cancelled, account, 40, Instant.now().plusSeconds(3600)));
        step(ledger.voidPending(cancelled, TransferReason.GENERATION_CANCELLED));
        step(ledger.forfeit(UUID.randomUUID(), account, "chargeback", "ops"));

        List<Statement.Line> lines = statement.page(account, START, LAST, 100);

        assertThat(lines).extracting(Statement.Line::type, Statement.Line::amountCoins, Statement.Line::balanceEffectCoins,
                Statement.Line::generationId, Statement.Line::paymentRef)
            .containsExactly(
                tuple("forfeit", 465L, -465L, null, null), // 500 - 20 - 15: all that was left
                tuple("refund", 40L, 40L, cancelled, null),
                tuple("hold", 40L, -40L, cancelled, null),
                tuple("fee", 15L, 85L, failed, null),
                tuple("hold", 100L, -100L, failed, null),
                tuple("adjustment", 20L, -20L, null, null),
                tuple("topup", 500L, 500L, null, "nowpayments:4711"));
        assertThat(lines.stream().mapToLong(Statement.Line::balanceEffectCoins).sum())
            .isEqualTo(ledger.wallet(account).orElseThrow().balanceCoins()).isZero();
    }

    @Test
    void pagesFollowOneAnotherWithoutGapOrRepeat() throws Exception {
        UUID account = anAccount();
        for (int i = 0; i < 5; i++) {
            step(ledger.credit(UUID.randomUUID(), account, i + 1, "payment-" + i));
        }
        List<Statement.Line> first = statement.page(account, START, LAST, 3);
        Statement.Line last = first.getLast();
        List<Statement.Line> rest = statement.page(account, last.createdAt(), last.id(), 3);

        assertThat(first).extracting(Statement.Line::amountCoins).containsExactly(5L, 4L, 3L);
        assertThat(rest).extracting(Statement.Line::amountCoins).containsExactly(2L, 1L);
    }

    private static UUID anAccount() {
        return StorageContext.get().getBean(AccountService.class).open("statement-test", 0, "test").account().id();
    }

    /** Applies one ledger step; a pause keeps their creation times, and so the statement's order, apart. */
    private static void step(LedgerResult result) throws InterruptedException {
        assertThat(result.applied()).as("%s", result).isTrue();
        Thread.sleep(2);
    }
}
