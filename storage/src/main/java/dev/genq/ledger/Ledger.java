package dev.genq.ledger;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The only writer of wallets and transfers. Each method joins the caller's transaction (or opens
 * one), inserts its transfer idempotently by id, then changes the wallet counters with a
 * conditional UPDATE; a failed condition throws, rolling back everything the caller wrote with it.
 */
@Singleton
public class Ledger {
    private final TransferRepository transfers;
    private final WalletRepository wallets;

    Ledger(TransferRepository transfers, WalletRepository wallets) {
        this.transfers = transfers;
        this.wallets = wallets;
    }

    /**
     * The id of the one transfer that resolves a pending one. Post and void share it, so the
     * primary key alone already forbids resolving twice.
     */
    public static UUID resolutionId(UUID pendingId) {
        return UUID.nameUUIDFromBytes(("resolve:" + pendingId).getBytes(StandardCharsets.UTF_8));
    }

    @Transactional
    public void openWallet(UUID accountId) {
        wallets.open(accountId);
    }

    @Transactional
    public LedgerResult credit(UUID transferId, UUID accountId, long amountCoins, TransferReason reason) {
        requirePositive(amountCoins);
        Transfer transfer = Transfer.of(transferId, SystemAccount.TOPUPS.id(), accountId, amountCoins,
            TransferKind.SINGLE, null, null, reason);
        if (!insert(transfer)) {
            return replayOf(transfer);
        }
        requireOneRow(wallets.credit(accountId, amountCoins), "wallet of account " + accountId);
        return LedgerResult.OK;
    }

    /** Holds {@code amountCoins} of the account's balance until the reservation is posted or voided. */
    @Transactional
    public LedgerResult reserve(UUID transferId, UUID accountId, long amountCoins, Instant expiresAt) {
        if (amountCoins < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + amountCoins);
        }
        Transfer transfer = Transfer.of(transferId, accountId, SystemAccount.REVENUE.id(), amountCoins,
            TransferKind.PENDING, null, expiresAt, TransferReason.GENERATION_RESERVE);
        if (!insert(transfer)) {
            return replayOf(transfer);
        }
        if (wallets.reserve(accountId, amountCoins) == 0) {
            long balance = wallets.findById(accountId).map(Wallet::balanceCoins).orElse(0L);
            throw new InsufficientFundsException(amountCoins, balance);
        }
        return LedgerResult.OK;
    }

    /** Captures {@code amountCoins} (at most the reserved amount) and releases the rest. */
    @Transactional
    public LedgerResult post(UUID pendingId, long amountCoins, TransferReason reason) {
        Transfer pending = pending(pendingId);
        if (amountCoins < 0 || amountCoins > pending.amountCoins()) {
            throw new IllegalArgumentException("cannot post " + amountCoins + " of a " + pending.amountCoins() + " coin reservation");
        }
        return resolve(pending, TransferKind.POST_PENDING, amountCoins, reason);
    }

    /** Releases the whole reservation back to the balance: the refund. */
    @Transactional
    public LedgerResult voidPending(UUID pendingId, TransferReason reason) {
        Transfer pending = pending(pendingId);
        return resolve(pending, TransferKind.VOID_PENDING, pending.amountCoins(), reason);
    }

    public Optional<Wallet> wallet(UUID accountId) {
        return wallets.findById(accountId);
    }

    public List<Transfer> transfers(UUID accountId) {
        return transfers.findByAccount(accountId);
    }

    private LedgerResult resolve(Transfer pending, TransferKind kind, long amountCoins, TransferReason reason) {
        Transfer resolution = Transfer.of(resolutionId(pending.id()), pending.debitAccountId(), pending.creditAccountId(),
            amountCoins, kind, pending.id(), null, reason);
        if (!insert(resolution)) {
            Transfer existing = transfers.findResolutionOf(pending.id()).orElseThrow();
            if (existing.sameOperationAs(resolution)) {
                return LedgerResult.EXISTS;
            }
            return existing.kind() == TransferKind.POST_PENDING ? LedgerResult.ALREADY_POSTED : LedgerResult.ALREADY_VOIDED;
        }
        long posted = kind == TransferKind.POST_PENDING ? amountCoins : 0;
        requireOneRow(wallets.resolve(pending.debitAccountId(), pending.amountCoins(), posted),
            "wallet of account " + pending.debitAccountId());
        return LedgerResult.OK;
    }

    private Transfer pending(UUID pendingId) {
        Transfer pending = transfers.findById(pendingId)
            .orElseThrow(() -> GenqException.notFound("reservation " + pendingId));
        if (pending.kind() != TransferKind.PENDING) {
            throw new IllegalArgumentException("transfer " + pendingId + " is " + pending.kind() + ", not PENDING");
        }
        return pending;
    }

    private boolean insert(Transfer t) {
        return transfers.insertIfAbsent(t.id(), t.debitAccountId(), t.creditAccountId(), t.amountCoins(), t.kind(),
            t.pendingId(), t.expiresAt(), t.reason()) == 1;
    }

    private LedgerResult replayOf(Transfer attempted) {
        Transfer existing = transfers.findById(attempted.id()).orElseThrow();
        if (!existing.sameOperationAs(attempted)) {
            throw new GenqException(ErrorCode.INVALID_STATE,
                "transfer " + attempted.id() + " exists with different accounts or amounts");
        }
        return LedgerResult.EXISTS;
    }

    private static void requirePositive(long amountCoins) {
        if (amountCoins <= 0) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "amount must be a positive number of coins");
        }
    }

    private static void requireOneRow(int rows, String what) {
        if (rows != 1) {
            throw new IllegalStateException(what + " did not change as the ledger requires (rows=" + rows + ")");
        }
    }
}
