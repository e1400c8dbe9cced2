package dev.genq.ledger;

import dev.genq.infra.BatchSql;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The multi-row statements behind {@link Ledger#reserveAll} and {@link Ledger#postAll}: one statement per step, whatever the batch's size. */
@Singleton
class ReservationWrites {
    private final BatchSql sql;

    ReservationWrites(BatchSql sql) {
        this.sql = sql;
    }

    /** The ids among {@code ids} that name a transfer already. */
    Set<UUID> existing(Collection<UUID> ids) {
        return sql.run("SELECT id FROM ledger_transfer WHERE id = ANY (?)", (a, s) -> {
            s.setArray(1, a.of("uuid", ids));
            return BatchSql.uuidsOf(s);
        });
    }

    /** Locks the accounts' wallets in account order (so concurrent batches cannot deadlock) and returns them. */
    Map<UUID, Wallet> lockWallets(Collection<UUID> accountIds) {
        return sql.run("""
            SELECT account_id, credits_posted, debits_pending, debits_posted, blocked FROM wallet
            WHERE account_id = ANY (?) ORDER BY account_id FOR UPDATE""", (a, s) -> {
            s.setArray(1, a.of("uuid", accountIds));
            Map<UUID, Wallet> wallets = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    wallets.put(id, new Wallet(id, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5)));
                }
            }
            return wallets;
        });
    }

    /** Inserts the pending transfers; returns the ids actually inserted (the others exist already). */
    Set<UUID> insertPending(List<Transfer> pending) {
        return sql.run("""
            INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount_coins, kind, expires_at, reason)
            SELECT t.id, t.debit, t.credit, t.amount, 'PENDING', t.expires_at, ?
            FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[], ?::timestamptz[]) AS t(id, debit, credit, amount, expires_at)
            ON CONFLICT DO NOTHING RETURNING id""", (a, s) -> {
            s.setString(1, TransferReason.GENERATION_RESERVE.name());
            s.setArray(2, a.of("uuid", pending.stream().map(Transfer::id).toList()));
            s.setArray(3, a.of("uuid", pending.stream().map(Transfer::debitAccountId).toList()));
            s.setArray(4, a.of("uuid", pending.stream().map(Transfer::creditAccountId).toList()));
            s.setArray(5, a.of("bigint", pending.stream().map(Transfer::amountCoins).toList()));
            s.setArray(6, a.of("timestamptz", pending.stream().map(t -> Timestamp.from(t.expiresAt())).toList()));
            return BatchSql.uuidsOf(s);
        });
    }

    /** The transfers among {@code ids} that exist, by id. */
    Map<UUID, Transfer> pendings(Collection<UUID> ids) {
        return sql.run("""
            SELECT id, debit_account_id, credit_account_id, amount_coins, kind, expires_at FROM ledger_transfer
            WHERE id = ANY (?)""", (a, s) -> {
            s.setArray(1, a.of("uuid", ids));
            Map<UUID, Transfer> found = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    Timestamp expires = rs.getTimestamp(6);
                    found.put(id, new Transfer(id, rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getLong(4),
                        TransferKind.valueOf(rs.getString(5)), null, expires == null ? null : expires.toInstant(),
                        TransferReason.GENERATION_RESERVE, null, null, null, null));
                }
            }
            return found;
        });
    }

    /** Inserts the resolutions of pending transfers; returns the ids actually inserted (the others exist already). */
    Set<UUID> insertResolutions(List<Transfer> resolutions) {
        return sql.run("""
            INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount_coins, kind, pending_id, reason)
            SELECT t.id, t.debit, t.credit, t.amount, t.kind, t.pending_id, t.reason
            FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::uuid[], ?::text[])
                 AS t(id, debit, credit, amount, kind, pending_id, reason)
            ON CONFLICT DO NOTHING RETURNING id""", (a, s) -> {
            s.setArray(1, a.of("uuid", resolutions.stream().map(Transfer::id).toList()));
            s.setArray(2, a.of("uuid", resolutions.stream().map(Transfer::debitAccountId).toList()));
            s.setArray(3, a.of("uuid", resolutions.stream().map(Transfer::creditAccountId).toList()));
            s.setArray(4, a.of("bigint", resolutions.stream().map(Transfer::amountCoins).toList()));
            s.setArray(5, a.of("text", resolutions.stream().map(t -> t.kind().name()).toList()));
            s.setArray(6, a.of("uuid", resolutions.stream().map(Transfer::pendingId).toList()));
            s.setArray(7, a.of("text", resolutions.stream().map(t -> t.reason().name()).toList()));
            return BatchSql.uuidsOf(s);
        });
    }

    /**
     * Releases each account's resolved reservations from its pending debits and adds what was
     * posted ({@code sums}: account to {released, posted}), guarded as a single resolution is;
     * returns how many wallets changed.
     */
    int resolveWallets(Map<UUID, long[]> sums) {
        List<UUID> accounts = new ArrayList<>(sums.keySet());
        return sql.run("""
            UPDATE wallet w SET debits_pending = w.debits_pending - v.pending, debits_posted = w.debits_posted + v.posted,
                                updated_at = now()
            FROM unnest(?::uuid[], ?::bigint[], ?::bigint[]) AS v(account_id, pending, posted)
            WHERE w.account_id = v.account_id AND w.debits_pending >= v.pending""", (a, s) -> {
            s.setArray(1, a.of("uuid", accounts));
            s.setArray(2, a.of("bigint", accounts.stream().map(id -> sums.get(id)[0]).toList()));
            s.setArray(3, a.of("bigint", accounts.stream().map(id -> sums.get(id)[1]).toList()));
            return s.executeUpdate();
        });
    }

    /**
     * Adds each account's total to its pending debits, guarded as a single reservation is (not
     * blocked, enough balance); returns how many wallets changed.
     */
    int addPending(Map<UUID, Long> totals) {
        List<UUID> accounts = new ArrayList<>(totals.keySet());
        return sql.run("""
            UPDATE wallet w SET debits_pending = w.debits_pending + v.amount, updated_at = now()
            FROM unnest(?::uuid[], ?::bigint[]) AS v(account_id, amount)
            WHERE w.account_id = v.account_id AND NOT w.blocked
              AND w.credits_posted - w.debits_posted - w.debits_pending >= v.amount""", (a, s) -> {
            s.setArray(1, a.of("uuid", accounts));
            s.setArray(2, a.of("bigint", accounts.stream().map(totals::get).toList()));
            return s.executeUpdate();
        });
    }
}
