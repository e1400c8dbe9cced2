package dev.genq.ledger;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes every wallet from the transfer log, every generation's reservation from the ledger
 * and every payment's credit from its transfers, and lists what disagrees. Empty means I1–I4 hold:
 * each generation has one reservation, resolved iff the generation is terminal, and posted for
 * exactly the coins its status says it charged (voided when it charged nothing); each wallet's
 * counters equal the sums of its transfers (so credited = balance + reserved + posted, where posted
 * includes debits and forfeits, and what archived transfers carried); no balance is negative; a
 * payment reached the wallet exactly as far as its record says.
 */
@Singleton
public class LedgerAudit {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerAudit.class);
    private static final String WALLETS = """
        SELECT w.account_id, w.credits_posted, w.debits_pending, w.debits_posted,
               coalesce((SELECT sum(t.amount_coins) FROM ledger_transfer t
                         WHERE t.kind = 'SINGLE' AND t.credit_account_id = w.account_id), 0) + coalesce(c.credited, 0) AS credited,
               coalesce((SELECT sum(p.amount_coins) FROM ledger_transfer p
                         WHERE p.kind = 'PENDING' AND p.debit_account_id = w.account_id
                           AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = p.id)), 0) AS reserved,
               coalesce((SELECT sum(t.amount_coins) FROM ledger_transfer t
                         WHERE t.kind IN ('POST_PENDING', 'SINGLE') AND t.debit_account_id = w.account_id), 0)
                 + coalesce(c.posted, 0) AS posted
        FROM wallet w LEFT JOIN ledger_carry c ON c.account_id = w.account_id""";
    /** A payment last changed before the archive's horizon may have some of its credits archived already: not compared. */
    private static final String PAYMENTS = """
        SELECT p.provider, p.payment_id, p.credited_coins,
               coalesce((SELECT sum(t.amount_coins) FROM ledger_transfer t
                         WHERE t.external_ref = p.provider || ':' || p.payment_id), 0) AS transferred
        FROM payment p
        WHERE p.updated_at >= coalesce((SELECT max(a.before) FROM ledger_archive a), '-infinity')""";
    private static final String GENERATIONS = """
        SELECT g.id, g.status, g.price_coins, g.charged_coins, p.amount_coins AS reserved, r.kind AS resolution,
               r.amount_coins AS resolved_coins,
               g.created_at < coalesce((SELECT max(a.before) FROM ledger_archive a), '-infinity') AS archived
        FROM generation g
        LEFT JOIN ledger_transfer p ON p.id = g.id AND p.kind = 'PENDING'
        LEFT JOIN ledger_transfer r ON r.pending_id = g.id""";

    private final DataSource dataSource;

    /** Reads on its own connection (the raw pool), outside any transaction of the caller. */
    public LedgerAudit(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** Runs the audit and records its result for the discrepancy gauge; returns how many it found. */
    public int reconcile() {
        List<String> found = discrepancies();
        found.forEach(d -> LOG.error("ledger discrepancy: {}", d));
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO ledger_reconciliation (discrepancies, details) VALUES (?, ?)")) {
            insert.setInt(1, found.size());
            insert.setString(2, String.join("\n", found));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording the reconciliation failed", e);
        }
        return found.size();
    }

    /** The count the last recorded reconciliation found, if one ran. */
    public OptionalInt lastRecordedDiscrepancies() {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT discrepancies FROM ledger_reconciliation ORDER BY id DESC LIMIT 1")) {
            return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
        } catch (SQLException e) {
            LOG.warn("reading the last reconciliation failed: {}", e.toString());
            return OptionalInt.empty();
        }
    }

    public List<String> discrepancies() {
        List<String> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (ResultSet rs = c.createStatement().executeQuery(WALLETS)) {
                while (rs.next()) {
                    String account = rs.getString("account_id");
                    long creditsPosted = rs.getLong("credits_posted");
                    long debitsPending = rs.getLong("debits_pending");
                    long debitsPosted = rs.getLong("debits_posted");
                    if (creditsPosted != rs.getLong("credited") || debitsPending != rs.getLong("reserved")
                        || debitsPosted != rs.getLong("posted")) {
                        found.add("wallet " + account + " counters " + creditsPosted + "/" + debitsPending + "/" + debitsPosted
                            + " but transfers say " + rs.getLong("credited") + "/" + rs.getLong("reserved") + "/" + rs.getLong("posted"));
                    }
                    if (creditsPosted - debitsPosted - debitsPending < 0) {
                        found.add("wallet " + account + " balance is negative");
                    }
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(GENERATIONS)) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    String status = rs.getString("status");
                    boolean terminal = !status.equals("QUEUED") && !status.equals("RUNNING");
                    String resolution = rs.getString("resolution");
                    rs.getLong("reserved");
                    boolean unreserved = rs.wasNull();
                    if (unreserved && rs.getBoolean("archived")) {
                        continue; // its billing records were archived past their retention
                    }
                    if (unreserved) {
                        found.add("generation " + id + " has no reservation");
                    } else if (rs.getLong("reserved") != rs.getLong("price_coins")) {
                        found.add("generation " + id + " reserved " + rs.getLong("reserved") + " for a price of " + rs.getLong("price_coins"));
                    }
                    if (terminal != (resolution != null)) {
                        found.add("generation " + id + " is " + status + " and its reservation is " + (resolution == null ? "open" : resolution));
                    }
                    if (status.equals("SUCCEEDED") && resolution != null && !"POST_PENDING".equals(resolution)) {
                        found.add("generation " + id + " is " + status + " but its reservation was " + resolution);
                    }
                    long charged = rs.getLong("charged_coins");
                    boolean chargeShown = !rs.wasNull();
                    if (terminal != chargeShown) {
                        found.add("generation " + id + " is " + status + (chargeShown ? " and shows a charge" : " and shows no charge"));
                    } else if (resolution != null) {
                        long posted = "POST_PENDING".equals(resolution) ? rs.getLong("resolved_coins") : 0;
                        if (charged != posted || ("VOID_PENDING".equals(resolution) && charged != 0)) {
                            found.add("generation " + id + " shows " + charged + " coins charged but its reservation was "
                                + resolution + " for " + posted);
                        }
                    }
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(PAYMENTS)) {
                while (rs.next()) {
                    if (rs.getLong("credited_coins") != rs.getLong("transferred")) {
                        found.add("payment " + rs.getString("provider") + ":" + rs.getString("payment_id") + " records "
                            + rs.getLong("credited_coins") + " coins credited but its transfers add up to " + rs.getLong("transferred"));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger audit failed", e);
        }
        return found;
    }
}
