package dev.genq.ledger;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The only writer of wallets and transfers. Each method joins the caller's transaction (or opens
 * one) and returns a {@link LedgerResult}; only {@code OK} changed anything, so a caller whose own
 * writes must not stand without the ledger's rolls back on any other result. Debits change the
 * wallet first with an UPDATE conditioned on the balance and on the transfer being new, then
 * insert the transfer; credits insert first; reservations lock their wallets, decide, insert and
 * then add to the wallets (see {@link #reserveAll}). Either way a replay changes nothing.
 *
 * <p>Transfers are never changed, with one exception: an open reservation's expiry moves forward
 * (never back) while the work it pays for runs ({@link #extend}), because a vendor task may rightly
 * take longer than the wait in the queue that the first expiry bounds.
 */
@Singleton
public class Ledger {
    private final TransferRepository transfers;
    private final WalletRepository wallets;
    private final ReservationWrites batch;
    private final Clock clock;

    Ledger(TransferRepository transfers, WalletRepository wallets, ReservationWrites batch, Clock clock) {
        this.transfers = transfers;
        this.wallets = wallets;
        this.batch = batch;
        this.clock = clock;
    }

    /**
     * The id of the one transfer that resolves a pending one. Post and void share it, so the
     * primary key alone already forbids resolving twice.
     */
    public static UUID resolutionId(UUID pendingId) {
        return derivedId("resolve:" + pendingId);
    }

    /** A stable transfer id for an outside event, so the event's replays map to the same transfer. */
    public static UUID derivedId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    @Transactional
    public void openWallet(UUID accountId) {
        wallets.open(accountId);
    }

    /** Coins bought through a payment: from the top-up account into the wallet. */
    @Transactional
    public LedgerResult credit(UUID transferId, UUID accountId, long amountCoins, String externalRef) {
        return creditWallet(Transfer.single(transferId, SystemAccount.TOPUPS.id(), accountId, requirePositive(amountCoins),
            TransferReason.TOPUP, null, null, externalRef));
    }

    /** An operator's credit (positive) or debit (negative), with why and who. */
    @Transactional
    public LedgerResult adjust(UUID transferId, UUID accountId, long signedCoins, String memo, String actor) {
        if (signedCoins > 0) {
            return creditWallet(Transfer.single(transferId, SystemAccount.ADJUSTMENTS.id(), accountId, signedCoins,
                TransferReason.ADMIN_ADJUSTMENT, memo, actor, null));
        }
        return debitWallet(Transfer.single(transferId, accountId, SystemAccount.ADJUSTMENTS.id(), requirePositive(-signedCoins),
            TransferReason.ADMIN_ADJUSTMENT, memo, actor, null));
    }

    /** Moves the whole available balance of a (blocked) account to the forfeited account. */
    @Transactional
    public LedgerResult forfeit(UUID transferId, UUID accountId, String memo, String actor) {
        Optional<Transfer> before = transfers.findById(transferId);
        if (before.isPresent()) {
            return LedgerResult.EXISTS;
        }
        long balance = wallets.lock(accountId).orElseThrow().balanceCoins();
        if (balance == 0) {
            return LedgerResult.OK;
        }
        return debitWallet(Transfer.single(transferId, accountId, SystemAccount.FORFEITED.id(), balance,
            TransferReason.CHARGEBACK_FORFEIT, memo, actor, null));
    }

    /** Stops new reservations on the account; what is reserved already stays reserved. */
    @Transactional
    public void block(UUID accountId) {
        wallets.block(accountId, true);
    }

    /** Lets the account reserve again (an admin lifted its suspension or block). */
    @Transactional
    public void unblock(UUID accountId) {
        wallets.block(accountId, false);
    }

    /** Holds {@code amountCoins} of the balance until the reservation is posted or voided. */
    @Transactional
    public LedgerResult reserve(UUID transferId, UUID accountId, long amountCoins, Instant expiresAt) {
        return reserveAll(List.of(new Reservation(transferId, accountId, amountCoins, expiresAt))).getFirst();
    }

    /**
     * Reserves for many at once: each answers what {@link #reserve} would have answered had they run
     * one after another in the order given. Four statements whatever the batch's size: look for
     * replays, lock the wallets, insert the transfers, add each account's total; so a burst of
     * submits on one account costs one wallet write, not one each.
     */
    @Transactional
    public List<LedgerResult> reserveAll(List<Reservation> reservations) {
        if (reservations.isEmpty()) {
            return List.of();
        }
        if (reservations.stream().map(Reservation::transferId).distinct().count() != reservations.size()) {
            throw new IllegalArgumentException("a batch of reservations names one transfer twice");
        }
        Set<UUID> replays = batch.existing(reservations.stream().map(Reservation::transferId).toList());
        Map<UUID, Wallet> wallets = batch.lockWallets(reservations.stream().map(Reservation::accountId).collect(Collectors.toSet()));
        Map<UUID, Long> available = new HashMap<>();
        wallets.forEach((id, w) -> available.put(id, w.balanceCoins()));
        Map<UUID, Long> totals = new HashMap<>();
        List<Transfer> accepted = new ArrayList<>();
        List<LedgerResult> results = new ArrayList<>(reservations.size());
        for (Reservation r : reservations) {
            Wallet wallet = wallets.get(r.accountId());
            LedgerResult result;
            if (replays.contains(r.transferId())) {
                result = replayOf(r.transfer());
            } else if (wallet == null) {
                throw new IllegalStateException("no wallet for account " + r.accountId());
            } else if (wallet.blocked()) {
                result = LedgerResult.ACCOUNT_BLOCKED;
            } else if (available.get(r.accountId()) < r.amountCoins()) {
                result = LedgerResult.INSUFFICIENT_FUNDS;
            } else {
                available.merge(r.accountId(), -r.amountCoins(), Long::sum);
                totals.merge(r.accountId(), r.amountCoins(), Long::sum);
                accepted.add(r.transfer());
                result = LedgerResult.OK;
            }
            results.add(result);
        }
        if (!accepted.isEmpty()) {
            // The wallets are locked, so only a concurrent replay of a transfer can make either step fall short.
            if (batch.insertPending(accepted).size() != accepted.size()) {
                throw new IllegalStateException("a reserved transfer was written concurrently; retry to see it");
            }
            if (batch.addPending(totals) != totals.size()) {
                throw new IllegalStateException("a locked wallet refused the reservations it was checked for");
            }
        }
        return results;
    }

    /**
     * Moves an open reservation's expiry to {@code until}, when that is later than it is. OK when the
     * reservation is open (moved or already later), ALREADY_POSTED or ALREADY_VOIDED when resolved.
     */
    @Transactional
    public LedgerResult extend(UUID pendingId, Instant until) {
        if (transfers.extendOpen(pendingId, until) == 1) {
            return LedgerResult.OK;
        }
        pending(pendingId); // throws when there is no such reservation
        return transfers.findResolutionOf(pendingId).map(r -> resolvedAlready(r, null)).orElseThrow();
    }

    /**
     * {@link #extend} as one step of a caller's own statement, so that the work's start and its
     * reservation's new expiry are one write: a data-modifying {@code WITH} step that moves the
     * expiry of the reservation named by each row of {@code source} (columns {@code id},
     * {@code expires_at}) forward. The caller's statement must only name reservations it knows are
     * open (a generation it moves while RUNNING: a resolved one is never RUNNING).
     */
    public static String extendStep(String source) {
        return "UPDATE ledger_transfer p SET expires_at = greatest(p.expires_at, s.expires_at) FROM " + source
            + " s WHERE p.id = s.id AND p.kind = 'PENDING'";
    }

    /** Captures {@code amountCoins} (at most the reserved amount) and releases the rest. */
    @Transactional
    public LedgerResult post(UUID pendingId, long amountCoins, TransferReason reason) {
        Transfer pending = pending(pendingId);
        if (amountCoins < 0 || amountCoins > pending.amountCoins()) {
            throw new IllegalArgumentException("cannot post " + amountCoins + " of a " + pending.amountCoins() + " coin reservation");
        }
        if (pending.expiresAt() != null && !clock.instant().isBefore(pending.expiresAt())) {
            return transfers.findResolutionOf(pendingId).map(r -> resolvedAlready(r, null)).orElse(LedgerResult.EXPIRED);
        }
        return resolve(pending, TransferKind.POST_PENDING, amountCoins, reason);
    }

    /**
     * Posts many reservations at once ({@code amounts}: reservation id to coins captured), all or
     * none: true when every one was posted; false, having written nothing, when any is missing, not
     * pending, expired or asked for more than it holds, and the caller then posts each with
     * {@link #post}, which answers it exactly. Four statements whatever the batch's size: read the
     * reservations, insert the resolutions, lock their wallets in account order, update each wallet
     * once. A reservation resolved meanwhile throws, rolling the caller's transaction back.
     */
    @Transactional
    public boolean postAll(Map<UUID, Long> amounts, TransferReason reason) {
        if (amounts.isEmpty()) {
            return true;
        }
        Map<UUID, Transfer> pendings = batch.pendings(amounts.keySet());
        Instant now = clock.instant();
        List<Transfer> resolutions = new ArrayList<>(amounts.size());
        Map<UUID, long[]> byAccount = new HashMap<>(); // account -> {released from pending, posted}
        for (Map.Entry<UUID, Long> capture : amounts.entrySet()) {
            Transfer pending = pendings.get(capture.getKey());
            long amount = capture.getValue();
            if (pending == null || pending.kind() != TransferKind.PENDING || amount < 0 || amount > pending.amountCoins()
                || (pending.expiresAt() != null && !now.isBefore(pending.expiresAt()))) {
                return false;
            }
            resolutions.add(Transfer.resolving(pending, TransferKind.POST_PENDING, amount, reason));
            long[] sums = byAccount.computeIfAbsent(pending.debitAccountId(), k -> new long[2]);
            sums[0] += pending.amountCoins();
            sums[1] += amount;
        }
        // Resolutions first, then wallets, as a single post takes them, so the two cannot deadlock;
        // both in one order (id, account) so concurrent batches cannot either.
        resolutions.sort(Comparator.comparing(Transfer::id));
        if (batch.insertResolutions(resolutions).size() != resolutions.size()) {
            throw new IllegalStateException("a reservation of the batch was resolved concurrently; post them one by one");
        }
        batch.lockWallets(byAccount.keySet());
        if (batch.resolveWallets(byAccount) != byAccount.size()) {
            throw new IllegalStateException("a wallet holds less than it reserved for the batch");
        }
        return true;
    }

    /** Releases the whole reservation back to the balance: the refund. Expired reservations can be voided. */
    @Transactional
    public LedgerResult voidPending(UUID pendingId, TransferReason reason) {
        Transfer pending = pending(pendingId);
        return resolve(pending, TransferKind.VOID_PENDING, pending.amountCoins(), reason);
    }

    public Optional<Wallet> wallet(UUID accountId) {
        return wallets.findById(accountId);
    }

    /** The account's transfers, newest first, strictly before the given position. */
    public List<Transfer> transfers(UUID accountId, Instant beforeCreatedAt, UUID beforeId, int limit) {
        return transfers.findPage(accountId, beforeCreatedAt, beforeId, limit);
    }

    private LedgerResult creditWallet(Transfer transfer) {
        if (!transfers.insertIfAbsent(transfer)) {
            return replayOf(transfer);
        }
        if (wallets.credit(transfer.creditAccountId(), transfer.amountCoins()) != 1) {
            throw new IllegalStateException("no wallet for account " + transfer.creditAccountId());
        }
        return LedgerResult.OK;
    }

    private LedgerResult debitWallet(Transfer transfer) {
        if (wallets.debitIfNew(transfer.debitAccountId(), transfer.amountCoins(), transfer.id()) == 0) {
            return refusal(transfer);
        }
        insertOrFail(transfer);
        return LedgerResult.OK;
    }

    /** Why a guarded debit changed no row: the transfer exists, or funds are short. */
    private LedgerResult refusal(Transfer attempted) {
        if (transfers.findById(attempted.id()).isPresent()) {
            return replayOf(attempted);
        }
        return LedgerResult.INSUFFICIENT_FUNDS;
    }

    private LedgerResult resolve(Transfer pending, TransferKind kind, long amountCoins, TransferReason reason) {
        Transfer resolution = Transfer.resolving(pending, kind, amountCoins, reason);
        if (!transfers.insertIfAbsent(resolution)) {
            return resolvedAlready(transfers.findResolutionOf(pending.id()).orElseThrow(), resolution);
        }
        long posted = kind == TransferKind.POST_PENDING ? amountCoins : 0;
        if (wallets.resolve(pending.debitAccountId(), pending.amountCoins(), posted) != 1) {
            throw new IllegalStateException("wallet of account " + pending.debitAccountId() + " holds less than it reserved");
        }
        return LedgerResult.OK;
    }

    private static LedgerResult resolvedAlready(Transfer existing, @Nullable Transfer attempted) {
        if (attempted != null && existing.sameOperationAs(attempted)) {
            return LedgerResult.EXISTS;
        }
        return existing.kind() == TransferKind.POST_PENDING ? LedgerResult.ALREADY_POSTED : LedgerResult.ALREADY_VOIDED;
    }

    private Transfer pending(UUID pendingId) {
        Transfer pending = transfers.findById(pendingId)
            .orElseThrow(() -> new IllegalArgumentException("no reservation " + pendingId));
        if (pending.kind() != TransferKind.PENDING) {
            throw new IllegalArgumentException("transfer " + pendingId + " is " + pending.kind() + ", not PENDING");
        }
        return pending;
    }

    /** After a guarded wallet change, the insert can only conflict with a concurrent replay: roll both back. */
    private void insertOrFail(Transfer transfer) {
        if (!transfers.insertIfAbsent(transfer)) {
            throw new IllegalStateException("transfer " + transfer.id() + " was written concurrently; retry to see it");
        }
    }

    private LedgerResult replayOf(Transfer attempted) {
        Transfer existing = transfers.findById(attempted.id()).orElseThrow();
        return existing.sameOperationAs(attempted) ? LedgerResult.EXISTS : LedgerResult.EXISTS_WITH_DIFFERENT_FIELDS;
    }

    private static long requirePositive(long amountCoins) {
        if (amountCoins <= 0) {
            throw new IllegalArgumentException("amount must be a positive number of coins: " + amountCoins);
        }
        return amountCoins;
    }
}
