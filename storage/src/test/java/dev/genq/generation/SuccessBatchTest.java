package dev.genq.generation;

import static dev.genq.support.AtOnce.all;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.account.AccountService;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerAudit;
import dev.genq.support.StorageContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Successes that arrive together are written in one batch; each still gets exactly the answer it
 * would have got alone, and the ledger balances, also when a batch holds one that must fail.
 */
class SuccessBatchTest {
    private static final List<GenerationOutput> OUTPUT = List.of(new GenerationOutput(0, "outputs/x/0.png", "image/png", 10));
    private final TaskChecks checks = StorageContext.get().getBean(TaskChecks.class);
    private final Settlement settlement = StorageContext.get().getBean(Settlement.class);
    private final Ledger ledger = StorageContext.get().getBean(Ledger.class);
    private final DataSource db = DelegatingDataSource.unwrapDataSource(StorageContext.get().getBean(DataSource.class));

    @AfterEach
    void ledgerBalances() {
        assertThat(StorageContext.get().getBean(LedgerAudit.class).discrepancies()).isEmpty();
    }

    @Test
    void concurrentSuccessesAllSucceedAndEachIsCharged() throws Exception {
        UUID account = anAccountWith(1_000);
        List<Generation> running = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            running.add(aRunningGeneration(account, 10, Duration.ofHours(1)));
        }

        List<Boolean> answers = all(running.stream().map(g -> (Callable<Boolean>) () -> settlement.succeed(g, OUTPUT, 1)).toList());

        assertThat(answers).hasSize(40).containsOnly(true);
        running.forEach(g -> assertThat(checks.load(g.id()).orElseThrow().status()).isEqualTo(GenerationStatus.SUCCEEDED));
        assertThat(ledger.wallet(account).orElseThrow().spentCoins()).isEqualTo(400);
        assertThat(ledger.wallet(account).orElseThrow().reservedCoins()).isZero();
    }

    @Test
    void aSuccessPastItsReservationIsStillCapturedAndSoAreTheOthersOfItsBatch() throws Exception {
        UUID account = anAccountWith(1_000);
        List<Generation> running = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            running.add(aRunningGeneration(account, 10, i == 7 ? Duration.ofMillis(-1) : Duration.ofHours(1)));
        }

        List<Boolean> answers = all(running.stream().map(g -> (Callable<Boolean>) () -> settlement.succeed(g, OUTPUT, 1)).toList());

        // The vendor delivered and billed genq: the expiry bounds a wait for work, not a delivery.
        assertThat(answers).containsOnly(true);
        for (Generation g : running) {
            Generation after = checks.load(g.id()).orElseThrow();
            assertThat(after.status()).isEqualTo(GenerationStatus.SUCCEEDED);
            assertThat(after.chargedCoins()).isEqualTo(10);
            assertThat(after.deliveredUnits()).isEqualTo(1);
        }
        assertThat(ledger.wallet(account).orElseThrow().spentCoins()).isEqualTo(200);
        assertThat(ledger.wallet(account).orElseThrow().balanceCoins()).isEqualTo(800);
    }

    @Test
    void twoSuccessesOfOneGenerationChargeItOnce() throws Exception {
        UUID account = anAccountWith(100);
        Generation g = aRunningGeneration(account, 10, Duration.ofHours(1));

        List<Boolean> answers = all(List.of(() -> settlement.succeed(g, OUTPUT, 1), () -> settlement.succeed(g, OUTPUT, 1)));

        assertThat(answers).containsExactlyInAnyOrder(true, false);
        assertThat(ledger.wallet(account).orElseThrow().spentCoins()).isEqualTo(10);
    }


    private UUID anAccountWith(long coins) {
        return StorageContext.get().getBean(AccountService.class).open("success-batch-test", coins, "test").account().id();
    }

    /** A RUNNING generation as a worker leaves it after the submit, with its reservation expiring after {@code reservedFor}. */
    private Generation aRunningGeneration(UUID account, long price, Duration reservedFor) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
            INSERT INTO generation (id, account_id, model, inputs, units, price_coins, status, attempts, provider, provider_task_id,
                                    started_at)
            VALUES (?, ?, 'emu-image', '{}', 1, ?, 'RUNNING', 1, 'vendor-a', ?, now())""")) {
            s.setObject(1, id);
            s.setObject(2, account);
            s.setLong(3, price);
            s.setString(4, "task-" + id);
            s.executeUpdate();
        }
        ledger.reserve(id, account, price, Instant.now().plus(reservedFor));
        return checks.load(id).orElseThrow();
    }
}
