package dev.genq.privacy;

import dev.genq.activity.ActivityLog;
import dev.genq.blob.BlobStore;
import dev.genq.generation.Submissions;
import dev.genq.infra.BatchSql;
import dev.genq.infra.JsonTrees;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What retention removes, each kind in bounded batches that are safe to repeat: a batch returns how
 * many records it removed, 0 when nothing is due.
 */
@Singleton
public class Retention {
    private final TransactionOperations<Connection> tx;
    private final BatchSql sql;
    private final BlobStore blobs;
    private final ActivityLog activity;
    private final Privacy privacy;
    private final Submissions submissions;

    Retention(TransactionOperations<Connection> tx, BatchSql sql, BlobStore blobs, ActivityLog activity, Privacy privacy,
              Submissions submissions) {
        this.tx = tx;
        this.sql = sql;
        this.blobs = blobs;
        this.activity = activity;
        this.privacy = privacy;
        this.submissions = submissions;
    }

    /**
     * Deletes the S3 outputs of generations that ended before {@code before} and marks them expired
     * (the status then lists no outputs and says when they expired). The row is marked and the new
     * status published first, and only then are the objects deleted, so no status read mints a URL
     * for an object that is gone (I6).
     */
    public int expireOutputs(Instant before, int limit) {
        List<String> keys = new ArrayList<>();
        List<UUID> expired = tx.executeWrite(status -> sql.run("""
            UPDATE generation SET outputs_expired_at = now() WHERE id IN (
                SELECT id FROM generation WHERE status = 'SUCCEEDED' AND outputs_expired_at IS NULL AND finished_at < ?
                ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING id, outputs""", (a, s) -> {
                s.setTimestamp(1, Timestamp.from(before));
                s.setInt(2, limit);
                List<UUID> ids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                        JsonTrees.MAPPER.readTree(rs.getString(2)).forEach(o -> keys.add(o.path("key").asText()));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return ids;
            }));
        republish(expired);
        blobs.delete(keys);
        return expired.size();
    }

    /** Scrubs closed accounts' generations that ended after their erasure; returns how many records changed. */
    public int scrubClosed(int limit) {
        Set<UUID> closed = tx.executeRead(status -> sql.uuids("""
            SELECT DISTINCT g.account_id FROM account a JOIN generation g ON g.account_id = a.id
            WHERE a.closed_at IS NOT NULL AND g.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
              AND (g.inputs <> '{}'::jsonb OR g.outputs <> '[]'::jsonb) LIMIT ?""", limit));
        int changed = 0;
        for (UUID account : closed) {
            changed += privacy.scrub(account, limit);
        }
        return changed;
    }

    /**
     * Deletes the history (generations, quotes, webhook endpoints, deliveries and attempts, keys) of
     * accounts closed before {@code before}. The account row and its wallet stay, anonymous, with the
     * ledger that points at them.
     */
    public int purgeClosedHistory(Instant before, int limit) {
        return tx.executeWrite(status -> {
            Set<UUID> ids = sql.uuids("""
                SELECT g.id FROM account a JOIN generation g ON g.account_id = a.id
                WHERE a.closed_at < ? AND g.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') LIMIT ?""", before, limit);
            int n = deleteFor("DELETE FROM webhook_attempt WHERE delivery_id IN (SELECT id FROM webhook_delivery WHERE generation_id = ANY(?))", ids);
            n += deleteFor("DELETE FROM webhook_delivery WHERE generation_id = ANY(?)", ids);
            n += deleteFor("DELETE FROM generation WHERE id = ANY(?)", ids);
            if (ids.size() < limit) { // the generations are gone: what referenced them goes too
                n += sql.update("""
                    DELETE FROM webhook_attempt WHERE delivery_id IN (SELECT d.id FROM webhook_delivery d JOIN account a ON a.id = d.account_id
                                                                       WHERE a.closed_at < ?)""", before);
                n += sql.update("DELETE FROM webhook_delivery WHERE account_id IN (SELECT id FROM account WHERE closed_at < ?)", before);
                n += sql.update("DELETE FROM webhook_endpoint WHERE account_id IN (SELECT id FROM account WHERE closed_at < ?)", before);
                n += sql.update("""
                    DELETE FROM quote q WHERE q.account_id IN (SELECT id FROM account WHERE closed_at < ?)
                      AND NOT EXISTS (SELECT 1 FROM generation g WHERE g.quote_id = q.id)""", before);
                n += sql.update("DELETE FROM api_key WHERE account_id IN (SELECT id FROM account WHERE closed_at < ?)", before);
            }
            return n;
        });
    }

    /** Deletes activity older than {@code before}. */
    public int purgeActivity(Instant before, int limit) {
        return tx.executeWrite(status -> activity.purge(before, limit));
    }

    /**
     * Archives (to S3, as JSON lines, when {@code archive}) and then deletes ledger transfers and
     * payments older than {@code before}. A payment goes with its credits; a reservation only with its
     * resolution. What the deleted transfers added to each account's counters is carried in
     * ledger_carry in the same transaction, so the ledger audit still proves every wallet exactly.
     */
    public int archiveBilling(Instant before, boolean archive, int limit) {
        String runKey = "archive/billing/" + before.toString().substring(0, 10) + "/" + UUID.randomUUID() + ".jsonl";
        return tx.executeWrite(status -> {
            sql.run("""
                CREATE TEMP TABLE billing_batch ON COMMIT DROP AS
                SELECT t.* FROM ledger_transfer t
                WHERE t.created_at < ?1 AND t.kind = 'SINGLE'
                  AND (t.external_ref IS NULL OR NOT EXISTS (SELECT 1 FROM payment p WHERE p.provider = split_part(t.external_ref, ':', 1)
                        AND p.payment_id = substr(t.external_ref, length(split_part(t.external_ref, ':', 1)) + 2) AND p.updated_at >= ?1))"""
                .replace("?1", "?"), (a, s) -> {
                    s.setTimestamp(1, Timestamp.from(before));
                    s.setTimestamp(2, Timestamp.from(before));
                    return s.executeUpdate();
                });
            sql.run("""
                INSERT INTO billing_batch
                SELECT x.* FROM ledger_transfer p JOIN ledger_transfer r ON r.pending_id = p.id
                CROSS JOIN LATERAL (SELECT p.* UNION ALL SELECT r.*) x
                WHERE p.kind = 'PENDING' AND p.created_at < ? AND r.created_at < ?""", (a, s) -> {
                    s.setTimestamp(1, Timestamp.from(before));
                    s.setTimestamp(2, Timestamp.from(before));
                    return s.executeUpdate();
                });
            sql.run("DELETE FROM billing_batch WHERE id NOT IN (SELECT id FROM billing_batch ORDER BY created_at, id LIMIT ?)", (a, s) -> {
                s.setInt(1, limit);
                return s.executeUpdate();
            });
            // a reservation and its resolution leave together: drop the half of a pair the limit cut
            sql.run("""
                DELETE FROM billing_batch b WHERE (b.kind = 'PENDING' AND NOT EXISTS (SELECT 1 FROM billing_batch r WHERE r.pending_id = b.id))
                   OR (b.pending_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM billing_batch p WHERE p.id = b.pending_id))""",
                (a, s) -> s.executeUpdate());
            byte[] rows = sql.run("SELECT * FROM billing_batch ORDER BY created_at, id", (a, s) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (ResultSet rs = s.executeQuery()) {
                    JsonRows.write(rs, out);
                }
                return out.toByteArray();
            });
            int transfers = sql.run("""
                WITH moved AS (
                    SELECT account_id, sum(credited) AS credited, sum(posted) AS posted, count(*) AS n FROM (
                        SELECT credit_account_id AS account_id, CASE WHEN kind = 'SINGLE' THEN amount_coins ELSE 0 END AS credited, 0 AS posted
                        FROM billing_batch
                        UNION ALL
                        SELECT debit_account_id, 0, CASE WHEN kind IN ('SINGLE', 'POST_PENDING') THEN amount_coins ELSE 0 END FROM billing_batch) m
                    GROUP BY account_id)
                INSERT INTO ledger_carry (account_id, credited, posted, transfers) SELECT account_id, credited, posted, n FROM moved
                ON CONFLICT (account_id) DO UPDATE SET credited = ledger_carry.credited + excluded.credited,
                    posted = ledger_carry.posted + excluded.posted, transfers = ledger_carry.transfers + excluded.transfers""",
                (a, s) -> s.executeUpdate());
            int deleted = sql.run("DELETE FROM ledger_transfer WHERE id IN (SELECT id FROM billing_batch)", (a, s) -> s.executeUpdate());
            int paymentsDeleted = sql.run("""
                DELETE FROM payment p WHERE p.updated_at < ? AND NOT EXISTS (SELECT 1 FROM ledger_transfer t WHERE t.external_ref = p.provider || ':' || p.payment_id)
                  AND p.ctid IN (SELECT ctid FROM payment WHERE updated_at < ? LIMIT ?)""", (a, s) -> {
                    s.setTimestamp(1, Timestamp.from(before));
                    s.setTimestamp(2, Timestamp.from(before));
                    s.setInt(3, limit);
                    return s.executeUpdate();
                });
            if (deleted + paymentsDeleted == 0) {
                return 0;
            }
            String key = null;
            if (archive && rows.length > 0) {
                key = runKey;
                try {
                    blobs.put(key, new ByteArrayInputStream(rows), rows.length, "application/x-ndjson");
                } catch (IOException e) {
                    throw new UncheckedIOException("archiving billing records failed; nothing was deleted", e);
                }
            }
            String objectKey = key;
            sql.run("INSERT INTO ledger_archive (before, transfers, payments, object_key) VALUES (?, ?, ?, ?)", (a, s) -> {
                s.setTimestamp(1, Timestamp.from(before));
                s.setInt(2, deleted);
                s.setInt(3, paymentsDeleted);
                s.setString(4, objectKey);
                return s.executeUpdate();
            });
            return deleted + paymentsDeleted;
        });
    }

    private void republish(List<UUID> ids) {
        if (!ids.isEmpty()) {
            submissions.republish(ids);
        }
    }

    /** A delete for these generations; none when there are none. */
    private int deleteFor(String statement, Set<UUID> ids) {
        return ids.isEmpty() ? 0 : sql.update(statement, ids);
    }
}
