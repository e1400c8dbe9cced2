package dev.genq.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.account.AccountService;
import dev.genq.error.GenqException;
import dev.genq.support.StorageContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The ledger against real PostgreSQL: results, idempotency, and its invariants under concurrency. */
class LedgerTest {
    private static final Instant LATER = Instant.parse("2100-01-01T00:00:00Z");
    private final Ledger ledger = StorageContext.get().getBean(Ledger.class);
    private final LedgerAudit audit = StorageContext.get().getBean(LedgerAudit.class);

    @AfterEach
    void invariantsHold() {
        assertThat(audit.discrepancies()).isEmpty();
    }

    @Nested
    class Reserving {
        @Test
        void aReservationHoldsCoinsOutOfTheBalance() {
            UUID account = anAccountWith(100);
            assertThat(ledger.reserve(UUID.randomUUID(), account, 30, LATER)).isEqualTo(LedgerResult.OK);
            assertThat(wallet(account).balanceCoins()).isEqualTo(70);
            assertThat(wallet(account).reservedCoins()).isEqualTo(30);
        }

        @Test
        void reservingMoreThanTheBalanceThrowsAndWritesNothing() {
            UUID account = anAccountWith(10);
            UUID id = UUID.randomUUID();
            assertThatThrownBy(() -> ledger.reserve(id, account, 11, LATER)).isInstanceOf(InsufficientFundsException.class);
            assertThat(wallet(account).balanceCoins()).isEqualTo(10);
            assertThat(ledger.transfers(account)).extracting(Transfer::kind).containsExactly(TransferKind.SINGLE);
        }

        @Test
        void replayingAReservationChangesNothing() {
            UUID account = anAccountWith(50);
            UUID id = UUID.randomUUID();
            ledger.reserve(id, account, 20, LATER);
            assertThat(ledger.reserve(id, account, 20, LATER)).isEqualTo(LedgerResult.EXISTS);
            assertThat(wallet(account).reservedCoins()).isEqualTo(20);
        }

        @Test
        void reusingAnIdForAnotherAmountIsAnError() {
            UUID account = anAccountWith(50);
            UUID id = UUID.randomUUID();
            ledger.reserve(id, account, 20, LATER);
            assertThatThrownBy(() -> ledger.reserve(id, account, 21, LATER)).isInstanceOf(GenqException.class)
                .hasMessageContaining("different");
        }
    }

    @Nested
    class Resolving {
        @Test
        void aPartialPostChargesTheDeliveredShareAndReleasesTheRest() {
            UUID account = anAccountWith(100);
            UUID pending = UUID.randomUUID();
            ledger.reserve(pending, account, 40, LATER);
            assertThat(ledger.post(pending, 30, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.OK);
            Wallet w = wallet(account);
            assertThat(w.spentCoins()).isEqualTo(30);
            assertThat(w.reservedCoins()).isZero();
            assertThat(w.balanceCoins()).isEqualTo(70);
        }

        @Test
        void aReservationIsResolvedOnlyOnce() {
            UUID account = anAccountWith(100);
            UUID posted = UUID.randomUUID();
            UUID voided = UUID.randomUUID();
            ledger.reserve(posted, account, 10, LATER);
            ledger.reserve(voided, account, 10, LATER);

            assertThat(ledger.post(posted, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.OK);
            assertThat(ledger.post(posted, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.EXISTS);
            assertThat(ledger.voidPending(posted, TransferReason.GENERATION_FAILED)).isEqualTo(LedgerResult.ALREADY_POSTED);
            assertThat(ledger.voidPending(voided, TransferReason.GENERATION_FAILED)).isEqualTo(LedgerResult.OK);
            assertThat(ledger.voidPending(voided, TransferReason.GENERATION_FAILED)).isEqualTo(LedgerResult.EXISTS);
            assertThat(ledger.post(voided, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.ALREADY_VOIDED);
            assertThat(wallet(account).balanceCoins()).isEqualTo(90);
        }

        @Test
        void postingMoreThanWasReservedIsRefused() {
            UUID account = anAccountWith(100);
            UUID pending = UUID.randomUUID();
            ledger.reserve(pending, account, 10, LATER);
            assertThatThrownBy(() -> ledger.post(pending, 11, TransferReason.GENERATION_CAPTURE))
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class UnderConcurrency {
        @Test
        void aHundredReservationsAgainstTenCoinsAcceptExactlyTen() throws Exception {
            UUID account = anAccountWith(10);
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();

            inParallel(100, i -> {
                try {
                    ledger.reserve(UUID.randomUUID(), account, 1, LATER);
                    accepted.incrementAndGet();
                } catch (InsufficientFundsException e) {
                    refused.incrementAndGet();
                }
            });

            assertThat(accepted).hasValue(10);
            assertThat(refused).hasValue(90);
            assertThat(wallet(account).balanceCoins()).isZero();
            assertThat(wallet(account).reservedCoins()).isEqualTo(10);
        }

        @Test
        void postRacingVoidOnTheSameReservationLetsExactlyOneWin() throws Exception {
            UUID account = anAccountWith(1_000);
            List<UUID> reservations = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                UUID id = UUID.randomUUID();
                ledger.reserve(id, account, 10, LATER);
                reservations.add(id);
            }
            AtomicInteger wins = new AtomicInteger();

            inParallel(80, i -> {
                UUID id = reservations.get(i / 2);
                LedgerResult result = i % 2 == 0
                    ? ledger.post(id, 10, TransferReason.GENERATION_CAPTURE)
                    : ledger.voidPending(id, TransferReason.GENERATION_FAILED);
                if (result == LedgerResult.OK) {
                    wins.incrementAndGet();
                }
            });

            assertThat(wins).hasValue(40);
            Wallet w = wallet(account);
            assertThat(w.reservedCoins()).isZero();
            assertThat(w.spentCoins() + w.balanceCoins()).isEqualTo(1_000);
        }

        @Test
        void seededRandomOperationsFromManyThreadsKeepEveryInvariant() throws Exception {
            long seed = Long.getLong("genq.seed", System.nanoTime());
            System.out.println("ledger random-sequence seed: " + seed + " (replay with -Dgenq.seed=" + seed + ")");
            List<UUID> accounts = List.of(anAccountWith(50), anAccountWith(5), anAccountWith(0));
            List<UUID> reservations = java.util.Collections.synchronizedList(new ArrayList<>());

            inParallel(8, worker -> {
                java.util.Random random = new java.util.Random(seed + worker);
                for (int step = 0; step < 60; step++) {
                    UUID account = accounts.get(random.nextInt(accounts.size()));
                    int op = random.nextInt(10);
                    try {
                        if (op < 2) {
                            ledger.credit(UUID.randomUUID(), account, 1 + random.nextInt(5), TransferReason.ADMIN_CREDIT);
                        } else if (op < 6) {
                            UUID id = UUID.randomUUID();
                            ledger.reserve(id, account, random.nextInt(8), LATER);
                            reservations.add(id);
                        } else if (!reservations.isEmpty()) {
                            UUID id = reservations.get(random.nextInt(reservations.size()));
                            if (op < 8) {
                                ledger.post(id, 0, TransferReason.GENERATION_CAPTURE);
                            } else {
                                ledger.voidPending(id, TransferReason.GENERATION_FAILED);
                            }
                        }
                    } catch (InsufficientFundsException expected) {
                        // refusals are part of the sequence
                    } catch (IllegalArgumentException expected) {
                        // posting 0 of a reservation is allowed; this covers a random post above the amount
                    }
                }
            });

            assertThat(audit.discrepancies()).as("seed " + seed).isEmpty();
            accounts.forEach(a -> assertThat(wallet(a).balanceCoins()).as("seed " + seed).isNotNegative());
        }
    }

    private UUID anAccountWith(long coins) {
        return StorageContext.get().getBean(AccountService.class).open("ledger-test", coins).account().id();
    }

    private Wallet wallet(UUID account) {
        return ledger.wallet(account).orElseThrow();
    }

    private interface Task {
        void run(int index) throws Exception;
    }

    private static void inParallel(int tasks, Task task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    task.run(index);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }
}
