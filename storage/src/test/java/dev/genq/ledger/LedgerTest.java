package dev.genq.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.account.AccountService;
import dev.genq.support.StorageContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The ledger against real PostgreSQL: result codes, idempotency, and its invariants under concurrency. */
class LedgerTest {
    private static final Instant LATER = Instant.parse("2100-01-01T00:00:00Z");
    private static final Instant EARLIER = Instant.parse("2000-01-01T00:00:00Z");
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
        void reservingMoreThanTheBalanceIsRefusedAndWritesNothing() {
            UUID account = anAccountWith(10);
            assertThat(ledger.reserve(UUID.randomUUID(), account, 11, LATER)).isEqualTo(LedgerResult.INSUFFICIENT_FUNDS);
            assertThat(wallet(account).balanceCoins()).isEqualTo(10);
            assertThat(kinds(account)).containsExactly(TransferKind.SINGLE);
        }

        @Test
        void aBlockedAccountReservesNothing() {
            UUID account = anAccountWith(10);
            ledger.block(account);
            assertThat(ledger.reserve(UUID.randomUUID(), account, 1, LATER)).isEqualTo(LedgerResult.ACCOUNT_BLOCKED);
            assertThat(wallet(account).reservedCoins()).isZero();
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
        void reusingAnIdForAnotherAmountIsRefused() {
            UUID account = anAccountWith(50);
            UUID id = UUID.randomUUID();
            ledger.reserve(id, account, 20, LATER);
            assertThat(ledger.reserve(id, account, 21, LATER)).isEqualTo(LedgerResult.EXISTS_WITH_DIFFERENT_FIELDS);
            assertThat(wallet(account).reservedCoins()).isEqualTo(20);
        }

        @Test
        void aBatchAnswersEachAsIfReservedOneAfterAnotherInOrder() {
            UUID rich = anAccountWith(100);
            UUID poor = anAccountWith(25);
            UUID blocked = anAccountWith(50);
            ledger.block(blocked);
            UUID replayed = UUID.randomUUID();
            ledger.reserve(replayed, rich, 10, LATER);

            List<LedgerResult> results = ledger.reserveAll(List.of(
                new Reservation(UUID.randomUUID(), poor, 20, LATER),
                new Reservation(UUID.randomUUID(), rich, 40, LATER),
                new Reservation(UUID.randomUUID(), poor, 10, LATER),   // 5 left: refused
                new Reservation(replayed, rich, 10, LATER),
                new Reservation(UUID.randomUUID(), blocked, 1, LATER),
                new Reservation(UUID.randomUUID(), poor, 5, LATER)));  // still fits after the refusal

            assertThat(results).containsExactly(LedgerResult.OK, LedgerResult.OK, LedgerResult.INSUFFICIENT_FUNDS,
                LedgerResult.EXISTS, LedgerResult.ACCOUNT_BLOCKED, LedgerResult.OK);
            assertThat(wallet(rich).reservedCoins()).isEqualTo(50);
            assertThat(wallet(poor).balanceCoins()).isZero();
            assertThat(wallet(poor).reservedCoins()).isEqualTo(25);
            assertThat(wallet(blocked).reservedCoins()).isZero();
        }

        @Test
        void aBatchNamingOneTransferTwiceIsABugAndWritesNothing() {
            UUID account = anAccountWith(50);
            UUID id = UUID.randomUUID();
            assertThatThrownBy(() -> ledger.reserveAll(List.of(new Reservation(id, account, 1, LATER), new Reservation(id, account, 1, LATER))))
                .isInstanceOf(IllegalArgumentException.class);
            assertThat(wallet(account).reservedCoins()).isZero();
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
        void anExpiredReservationCanBeVoidedButNotPosted() {
            UUID account = anAccountWith(100);
            UUID pending = UUID.randomUUID();
            ledger.reserve(pending, account, 10, EARLIER);
            assertThat(ledger.post(pending, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.EXPIRED);
            assertThat(ledger.voidPending(pending, TransferReason.GENERATION_FAILED)).isEqualTo(LedgerResult.OK);
            assertThat(ledger.post(pending, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.ALREADY_VOIDED);
            assertThat(wallet(account).balanceCoins()).isEqualTo(100);
        }

        @Test
        void anExpiryMovesOnlyForwardAndOnlyWhileTheReservationIsOpen() {
            UUID account = anAccountWith(100);
            UUID pending = UUID.randomUUID();
            ledger.reserve(pending, account, 10, EARLIER);
            assertThat(ledger.post(pending, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.EXPIRED);

            assertThat(ledger.extend(pending, LATER)).isEqualTo(LedgerResult.OK);
            assertThat(expiryOf(pending)).isEqualTo(LATER);
            assertThat(ledger.extend(pending, EARLIER)).as("never back").isEqualTo(LedgerResult.OK);
            assertThat(expiryOf(pending)).isEqualTo(LATER);

            assertThat(ledger.post(pending, 4, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.OK);
            assertThat(ledger.extend(pending, LATER.plusSeconds(60))).isEqualTo(LedgerResult.ALREADY_POSTED);
            assertThat(expiryOf(pending)).as("a resolved reservation keeps its expiry").isEqualTo(LATER);
            assertThat(wallet(account).balanceCoins()).isEqualTo(96);
        }

        @Test
        void extendingAVoidedReservationSaysSoAndReopensNothing() {
            UUID account = anAccountWith(100);
            UUID pending = UUID.randomUUID();
            ledger.reserve(pending, account, 10, EARLIER);
            ledger.voidPending(pending, TransferReason.GENERATION_FAILED);

            assertThat(ledger.extend(pending, LATER)).isEqualTo(LedgerResult.ALREADY_VOIDED);
            assertThat(ledger.post(pending, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.ALREADY_VOIDED);
            assertThat(wallet(account).balanceCoins()).isEqualTo(100);
        }

        private Instant expiryOf(UUID pending) {
            return StorageContext.get().getBean(TransferRepository.class).findById(pending).orElseThrow().expiresAt();
        }

        @Test
        void aBatchOfPostsChargesEachItsShareAcrossAccounts() {
            UUID first = anAccountWith(100);
            UUID second = anAccountWith(100);
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            UUID c = UUID.randomUUID();
            ledger.reserve(a, first, 40, LATER);
            ledger.reserve(b, first, 20, LATER);
            ledger.reserve(c, second, 30, LATER);

            assertThat(ledger.postAll(Map.of(a, 30L, b, 20L, c, 0L), TransferReason.GENERATION_CAPTURE)).isTrue();

            assertThat(wallet(first).spentCoins()).isEqualTo(50);
            assertThat(wallet(first).reservedCoins()).isZero();
            assertThat(wallet(first).balanceCoins()).isEqualTo(50);
            assertThat(wallet(second).spentCoins()).isZero();
            assertThat(wallet(second).balanceCoins()).isEqualTo(100);
            assertThat(ledger.post(a, 30, TransferReason.GENERATION_CAPTURE)).as("the batch wrote what a post writes").isEqualTo(LedgerResult.EXISTS);
            assertThatThrownBy(() -> ledger.postAll(Map.of(b, 20L, c, 0L), TransferReason.GENERATION_CAPTURE))
                .as("a batch naming a resolved reservation rolls back").isInstanceOf(IllegalStateException.class);
            assertThat(wallet(first).spentCoins()).isEqualTo(50);
        }

        @Test
        void aBatchHoldingAnExpiredReservationPostsNothing() {
            UUID account = anAccountWith(100);
            UUID current = UUID.randomUUID();
            UUID expired = UUID.randomUUID();
            ledger.reserve(current, account, 10, LATER);
            ledger.reserve(expired, account, 10, EARLIER);

            assertThat(ledger.postAll(Map.of(current, 10L, expired, 10L), TransferReason.GENERATION_CAPTURE)).isFalse();
            assertThat(ledger.postAll(Map.of(current, 11L), TransferReason.GENERATION_CAPTURE)).as("more than reserved").isFalse();

            assertThat(wallet(account).reservedCoins()).isEqualTo(20);
            assertThat(wallet(account).spentCoins()).isZero();
            assertThat(ledger.post(current, 10, TransferReason.GENERATION_CAPTURE)).isEqualTo(LedgerResult.OK);
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
    class ManualChanges {
        @Test
        void anAdjustmentRecordsItsReasonAndActor() {
            UUID account = anAccountWith(0);
            UUID credit = UUID.randomUUID();
            assertThat(ledger.adjust(credit, account, 25, "goodwill", "ana")).isEqualTo(LedgerResult.OK);
            assertThat(ledger.adjust(UUID.randomUUID(), account, -5, "correction", "bo")).isEqualTo(LedgerResult.OK);

            assertThat(wallet(account).balanceCoins()).isEqualTo(20);
            assertThat(ledger.transfers(account, LATER, new UUID(-1, -1), 10))
                .extracting(Transfer::memo, Transfer::actor, Transfer::amountCoins)
                .contains(org.assertj.core.groups.Tuple.tuple("goodwill", "ana", 25L), org.assertj.core.groups.Tuple.tuple("correction", "bo", 5L));
        }

        @Test
        void aDebitBeyondTheBalanceIsRefused() {
            UUID account = anAccountWith(5);
            assertThat(ledger.adjust(UUID.randomUUID(), account, -6, "too much", "ana")).isEqualTo(LedgerResult.INSUFFICIENT_FUNDS);
            assertThat(wallet(account).balanceCoins()).isEqualTo(5);
        }

        @Test
        void aForfeitTakesTheWholeBalanceOnce() {
            UUID account = anAccountWith(40);
            ledger.reserve(UUID.randomUUID(), account, 15, LATER);
            UUID forfeit = UUID.randomUUID();

            assertThat(ledger.forfeit(forfeit, account, "chargeback", "ana")).isEqualTo(LedgerResult.OK);
            assertThat(ledger.forfeit(forfeit, account, "chargeback", "ana")).isEqualTo(LedgerResult.EXISTS);

            Wallet w = wallet(account);
            assertThat(w.balanceCoins()).isZero();
            assertThat(w.reservedCoins()).isEqualTo(15);
            assertThat(w.spentCoins()).isEqualTo(25);
        }
    }

    @Nested
    class UnderConcurrency {
        @Test
        void aHundredReservationsAgainstTenCoinsAcceptExactlyTen() throws Exception {
            UUID account = anAccountWith(10);
            Map<LedgerResult, Integer> results = new ConcurrentHashMap<>();

            inParallel(100, i -> results.merge(ledger.reserve(UUID.randomUUID(), account, 1, LATER), 1, Integer::sum));

            assertThat(results).containsOnly(Map.entry(LedgerResult.OK, 10), Map.entry(LedgerResult.INSUFFICIENT_FUNDS, 90));
            assertThat(wallet(account).balanceCoins()).isZero();
            assertThat(wallet(account).reservedCoins()).isEqualTo(10);
        }

        @Test
        void concurrentBatchesOverlappingOnAccountsNeverOverdrawOrDeadlock() throws Exception {
            List<UUID> accounts = List.of(anAccountWith(30), anAccountWith(30), anAccountWith(30));
            Map<LedgerResult, Integer> results = new ConcurrentHashMap<>();

            inParallel(20, i -> {
                // each batch touches the accounts in a different order; the wallets are locked in one order all the same
                List<Reservation> batch = new ArrayList<>();
                for (int k = 0; k < 6; k++) {
                    batch.add(new Reservation(UUID.randomUUID(), accounts.get((i + k) % 3), 1, LATER));
                }
                ledger.reserveAll(batch).forEach(r -> results.merge(r, 1, Integer::sum));
            });

            assertThat(results).containsOnly(Map.entry(LedgerResult.OK, 90), Map.entry(LedgerResult.INSUFFICIENT_FUNDS, 30));
            accounts.forEach(a -> assertThat(wallet(a).balanceCoins()).isZero());
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
            Map<LedgerResult, Integer> results = new ConcurrentHashMap<>();

            inParallel(80, i -> {
                UUID id = reservations.get(i / 2);
                LedgerResult result = i % 2 == 0
                    ? ledger.post(id, 10, TransferReason.GENERATION_CAPTURE)
                    : ledger.voidPending(id, TransferReason.GENERATION_FAILED);
                results.merge(result, 1, Integer::sum);
            });

            assertThat(results.get(LedgerResult.OK)).isEqualTo(40);
            assertThat(results.getOrDefault(LedgerResult.ALREADY_POSTED, 0) + results.getOrDefault(LedgerResult.ALREADY_VOIDED, 0))
                .isEqualTo(40);
            Wallet w = wallet(account);
            assertThat(w.reservedCoins()).isZero();
            assertThat(w.spentCoins() + w.balanceCoins()).isEqualTo(1_000);
        }

        @Test
        void batchesOfPostsRacingVoidsResolveEachReservationOnce() throws Exception {
            List<UUID> accounts = List.of(anAccountWith(1_000), anAccountWith(1_000));
            List<UUID> reservations = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                UUID id = UUID.randomUUID();
                ledger.reserve(id, accounts.get(i % 2), 10, LATER);
                reservations.add(id);
            }
            Map<String, Integer> won = new ConcurrentHashMap<>();

            inParallel(20, i -> {
                if (i % 2 == 0) { // a batch of four posts, two per account
                    Map<UUID, Long> batch = new java.util.HashMap<>();
                    reservations.subList(i * 2, i * 2 + 4).forEach(id -> batch.put(id, 10L));
                    try {
                        if (ledger.postAll(batch, TransferReason.GENERATION_CAPTURE)) {
                            won.merge("posted", 4, Integer::sum);
                        }
                    } catch (IllegalStateException lostToAVoid) {
                        // the whole batch rolled back
                    }
                } else { // two voids inside the range of the batch before
                    for (UUID id : List.of(reservations.get(i * 2 - 1), reservations.get(i * 2))) {
                        if (ledger.voidPending(id, TransferReason.GENERATION_FAILED) == LedgerResult.OK) {
                            won.merge("voided", 1, Integer::sum);
                        }
                    }
                }
            });
            reservations.forEach(id -> {
                if (ledger.voidPending(id, TransferReason.GENERATION_FAILED) == LedgerResult.OK) {
                    won.merge("voided", 1, Integer::sum); // what neither got is released at the end
                }
            });

            assertThat(won.getOrDefault("posted", 0) + won.getOrDefault("voided", 0)).isEqualTo(40);
            long spent = accounts.stream().mapToLong(a -> wallet(a).spentCoins()).sum();
            assertThat(spent).isEqualTo(10L * won.getOrDefault("posted", 0));
            accounts.forEach(a -> assertThat(wallet(a).reservedCoins()).isZero());
        }

        @Test
        void seededRandomOperationsFromManyThreadsKeepEveryInvariant() throws Exception {
            long seed = Long.getLong("genq.seed", System.nanoTime());
            System.out.println("ledger random-sequence seed: " + seed + " (replay with -Dgenq.seed=" + seed + ")");
            List<UUID> accounts = List.of(anAccountWith(50), anAccountWith(5), anAccountWith(0));
            List<UUID> reservations = Collections.synchronizedList(new ArrayList<>());

            inParallel(8, worker -> {
                Random random = new Random(seed + worker);
                for (int step = 0; step < 80; step++) {
                    UUID account = accounts.get(random.nextInt(accounts.size()));
                    int op = random.nextInt(12);
                    if (op < 2) {
                        ledger.credit(UUID.randomUUID(), account, 1 + random.nextInt(5), "test:" + seed);
                    } else if (op < 3) {
                        int magnitude = 1 + random.nextInt(3);
                        ledger.adjust(UUID.randomUUID(), account, random.nextBoolean() ? magnitude : -magnitude, "random", "test");
                    } else if (op < 7) {
                        UUID id = UUID.randomUUID();
                        if (ledger.reserve(id, account, random.nextInt(8), LATER) == LedgerResult.OK) {
                            reservations.add(id);
                        }
                    } else if (op < 11 && !reservations.isEmpty()) {
                        UUID id = reservations.get(random.nextInt(reservations.size()));
                        if (op < 9) {
                            ledger.post(id, 0, TransferReason.GENERATION_CAPTURE);
                        } else {
                            ledger.voidPending(id, TransferReason.GENERATION_FAILED);
                        }
                    } else if (op == 11) {
                        ledger.forfeit(UUID.randomUUID(), account, "random", "test");
                    }
                }
            });

            assertThat(audit.discrepancies()).as("seed " + seed).isEmpty();
            accounts.forEach(a -> assertThat(wallet(a).balanceCoins()).as("seed " + seed).isNotNegative());
        }
    }

    private UUID anAccountWith(long coins) {
        return StorageContext.get().getBean(AccountService.class).open("ledger-test", coins, "test").account().id();
    }

    private Wallet wallet(UUID account) {
        return ledger.wallet(account).orElseThrow();
    }

    private List<TransferKind> kinds(UUID account) {
        return ledger.transfers(account, LATER, new UUID(-1, -1), 100).stream().map(Transfer::kind).toList();
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
