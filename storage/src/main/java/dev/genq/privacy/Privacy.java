package dev.genq.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.account.AccountService;
import dev.genq.account.AccountStates;
import dev.genq.activity.ActivityLog;
import dev.genq.activity.Source;
import dev.genq.blob.BlobStore;
import dev.genq.generation.StatusCache;
import dev.genq.generation.Submissions;
import dev.genq.infra.BatchSql;
import dev.genq.infra.JsonTrees;
import dev.genq.payment.Payments;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import redis.clients.jedis.JedisPooled;

/**
 * An account's export and erasure. The export is one ZIP of JSON-lines files read in one snapshot;
 * outputs appear as presigned links (genq never proxies their bytes). Erasure closes the account
 * (every key revoked, nothing reopens it), cancels and refunds its queued generations, then
 * {@link #scrub scrubs} its personal data; the scheduler scrubs again whatever ends later. The
 * ledger is untouched: its amounts are billing records, and they carry no personal data.
 */
@Singleton
public class Privacy {
    /** What an erased account's name becomes. */
    public static final String ERASED = "erased";
    private static final String ERASED_URL = "https://erased.invalid/";
    private static final String TERMINAL = "('SUCCEEDED', 'FAILED', 'CANCELLED')";
    private static final List<Part> PARTS = List.of(
        new Part("account.jsonl", "SELECT id, name, email, phone, state, state_reason, state_changed_at, created_at, closed_at FROM account WHERE id = ?"),
        new Part("wallet.jsonl", """
            SELECT credits_posted - debits_posted - debits_pending AS balance_coins, debits_pending AS reserved_coins,
                   debits_posted AS spent_coins, credits_posted AS credited_coins, updated_at FROM wallet WHERE account_id = ?"""),
        new Part("keys.jsonl", """
            SELECT id, name, scopes, key_prefix, created_at, revoked_at, last_used_at, expires_at FROM api_key
            WHERE account_id = ? ORDER BY created_at"""),
        new Part("generations.jsonl", """
            SELECT id, model, inputs, units, price_coins, charged_coins, delivered_units, status, progress, attempts, outputs, error_code,
                   error_message, created_at, started_at, finished_at, outputs_expired_at FROM generation WHERE account_id = ? ORDER BY created_at, id"""),
        new Part("quotes.jsonl", "SELECT id, model, inputs, units, price_coins, created_at, expires_at FROM quote WHERE account_id = ? ORDER BY created_at"),
        new Part("transactions.jsonl", """
            SELECT id, kind, amount_coins, debit_account_id, credit_account_id, pending_id, reason, memo, external_ref, created_at
            FROM ledger_transfer WHERE debit_account_id = ?1 OR credit_account_id = ?1 ORDER BY created_at, id"""),
        new Part("payments.jsonl", """
            SELECT id, provider, payment_id, state, status, amount, currency, coins_per_unit, coins, credited_coins, paid_amount, paid_currency,
                   return_url, payment_url, review_reason, created_at, updated_at FROM payment WHERE account_id = ? ORDER BY created_at"""),
        new Part("activity.jsonl", "SELECT at, actor, kind, detail, ip, user_agent FROM activity WHERE account_id = ? ORDER BY at, id"),
        new Part("account_states.jsonl", "SELECT from_state, to_state, reason, at FROM account_state_change WHERE account_id = ? ORDER BY at, id"),
        new Part("webhook_endpoints.jsonl", "SELECT id, url, description, created_at, disabled_at FROM webhook_endpoint WHERE account_id = ? ORDER BY created_at"),
        new Part("webhook_deliveries.jsonl", """
            SELECT id, endpoint_id, generation_id, event_type, status, attempts, created_at, delivered_at, last_status
            FROM webhook_delivery WHERE account_id = ? ORDER BY created_at, id"""));

    private final TransactionOperations<Connection> tx;
    private final BatchSql sql;
    private final BlobStore blobs;
    private final AccountService accounts;
    private final AccountStates states;
    private final Submissions submissions;
    private final ActivityLog activity;
    private final Payments payments;
    private final JedisPooled redis;

    Privacy(TransactionOperations<Connection> tx, BatchSql sql, BlobStore blobs, AccountService accounts, AccountStates states,
            Submissions submissions, ActivityLog activity, Payments payments, JedisPooled redis) {
        this.tx = tx;
        this.sql = sql;
        this.blobs = blobs;
        this.accounts = accounts;
        this.states = states;
        this.submissions = submissions;
        this.activity = activity;
        this.payments = payments;
        this.redis = redis;
    }

    private record Part(String file, String query) {
    }

    /** Writes the account's archive to {@code out} and records that it was exported. */
    public void export(UUID accountId, String actor, Source source, OutputStream out) {
        accounts.get(accountId);
        tx.executeWrite(status -> {
            activity.record(accountId, actor, "account.exported", "an archive of everything genq holds about the account", source);
            return null;
        });
        tx.executeRead(status -> {
            Connection c = status.getConnection();
            try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
                c.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"); // one snapshot for every file
                for (Part part : PARTS) {
                    zip.putNextEntry(new ZipEntry(part.file()));
                    query(c, part.query(), accountId, rs -> JsonRows.write(rs, zip));
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry("outputs.jsonl"));
                query(c, "SELECT id, outputs FROM generation WHERE account_id = ? AND outputs_expired_at IS NULL AND outputs <> '[]'::jsonb",
                    accountId, rs -> links(rs, zip));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("README.txt"));
                zip.write(readme().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    private String readme() {
        return """
            Everything genq holds about this account, as of %s. Each .jsonl file holds one JSON object per line.
            account, wallet: the account and its balance. keys: API keys (never their secrets). generations, quotes: what was
            asked for, with inputs, and what came of it. transactions: every ledger transfer of the account. payments: top-ups.
            activity: security-relevant events (sign-ins, key changes, top-ups, state changes, admin actions, exports).
            account_states: every change of the account's state. webhook_endpoints, webhook_deliveries: webhook settings and sends.
            outputs: a download link per stored output, valid for %d minutes from the export.
            """.formatted(Instant.now(), blobs.urlTtl().toMinutes());
    }

    private int links(ResultSet rs, OutputStream out) throws java.sql.SQLException {
        int count = 0;
        try {
            while (rs.next()) {
                for (JsonNode o : JsonTrees.MAPPER.readTree(rs.getString("outputs"))) {
                    var line = JsonTrees.MAPPER.createObjectNode().put("generationId", rs.getString("id")).put("index", o.path("index").asInt())
                        .put("contentType", o.path("contentType").asText()).put("sizeBytes", o.path("sizeBytes").asLong())
                        .put("url", blobs.presignGet(o.path("key").asText()).toString());
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    count++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    /** What an erasure did. */
    @Serdeable
    public record Erased(UUID accountId, String state, int generationsCancelled, int recordsScrubbed) {
    }

    /** Closes the account for good and deletes or anonymises its personal data. Repeating it changes nothing more. */
    public Erased erase(UUID accountId, String reason, String actor, Source source) {
        var state = states.close(accountId, reason, actor, source);
        int cancelled = submissions.cancelQueued(accountId, "account_closed", "the account was closed");
        int scrubbed = 0;
        for (int n = scrub(accountId, 1000); n > 0; n = scrub(accountId, 1000)) {
            scrubbed += n;
        }
        return new Erased(accountId, state.wire(), cancelled, scrubbed);
    }

    /**
     * Deletes or anonymises up to {@code limit} generations' personal data (inputs, outputs in S3,
     * error texts) of a closed account, and its other personal fields; returns how many records it
     * changed (0 once nothing is left). Generations still running are left for a later pass.
     */
    public int scrub(UUID accountId, int limit) {
        List<String> outputKeys = new ArrayList<>();
        List<UUID> generations = new ArrayList<>();
        int changed = tx.executeWrite(status -> {
            sql.run("SELECT id, outputs FROM generation WHERE account_id = ? AND status IN " + TERMINAL
                + " AND (inputs <> '{}'::jsonb OR outputs <> '[]'::jsonb OR error_message IS NOT NULL) LIMIT ? FOR UPDATE", (a, s) -> {
                    s.setObject(1, accountId);
                    s.setInt(2, limit);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            generations.add(rs.getObject(1, UUID.class));
                            JsonTrees.MAPPER.readTree(rs.getString(2)).forEach(o -> outputKeys.add(o.path("key").asText()));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                });
            int n = generations.isEmpty() ? 0 : sql.update("""
                UPDATE generation SET inputs = '{}'::jsonb, outputs = '[]'::jsonb, error_message = NULL,
                       outputs_expired_at = coalesce(outputs_expired_at, now()) WHERE id = ANY(?)""", generations);
            n += sql.update("UPDATE quote SET inputs = '{}'::jsonb WHERE account_id = ? AND inputs <> '{}'::jsonb", accountId);
            n += sql.update("UPDATE webhook_endpoint SET url = '" + ERASED_URL + "', secret = '', description = NULL, "
                + "disabled_at = coalesce(disabled_at, now()) WHERE account_id = ? AND url <> '" + ERASED_URL + "'", accountId);
            n += sql.update("UPDATE webhook_delivery SET payload = '{}' WHERE account_id = ? AND payload <> '{}'", accountId);
            n += sql.update("DELETE FROM idempotency_key WHERE scope = 'account:' || CAST(? AS text)", accountId);
            n += sql.update("UPDATE account SET name = '" + ERASED + "', email = NULL, phone = NULL WHERE id = ? AND state = 'closed' "
                + "AND (name <> '" + ERASED + "' OR email IS NOT NULL OR phone IS NOT NULL)", accountId);
            n += activity.anonymise(accountId);
            n += payments.forgetPersonal(accountId);
            return n;
        });
        blobs.delete(outputKeys); // after commit: a status read never names an object that is gone
        List<String> cached = new ArrayList<>(generations.stream().map(id -> StatusCache.KEY_PREFIX + id).toList());
        cached.add(StatusCache.eventsKey(accountId));
        redis.del(cached.toArray(String[]::new));
        return changed;
    }

    private interface Rows {
        int read(ResultSet rs) throws java.sql.SQLException;
    }

    private static void query(Connection c, String query, UUID accountId, Rows rows) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement(query.replace("?1", "?"))) {
            for (int i = 1; i <= s.getParameterMetaData().getParameterCount(); i++) {
                s.setObject(i, accountId);
            }
            s.setFetchSize(500);
            try (ResultSet rs = s.executeQuery()) {
                rows.read(rs);
            }
        }
    }
}
