package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.maintenance.RetentionTask;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Retention per kind of record, each a maintenance task run here by hand on rows aged in the
 * database: a batch removes what is due, a second finds nothing, and the ledger audit (after every
 * test) still proves every wallet with the records gone.
 */
class RetentionTest extends EndToEndTest {

    private int runUntilDone(String task) {
        RetentionTask t = stack.bean(RetentionTask.class, task);
        int total = 0;
        for (int n = t.runOnce(); n > 0; n = t.runOnce()) {
            total += n;
        }
        return total;
    }

    private double removedMetric(String kind) {
        return stack.bean(MeterRegistry.class).get("genq.retention.removed").tag("kind", kind).counter().count();
    }

    @Test
    void outputsAreDeletedTheirRetentionAfterTheGenerationEndedAndTheStatusSaysSo() throws Exception {
        Api.Account account = api.newAccount(100);
        String id = api.submitted(account, "emu-image", "{\"prompt\":\"kept a month\"}");
        String url = api.awaitEnd(account, id, END).path("outputs").get(0).path("url").asText();
        Fixtures.update("UPDATE generation SET finished_at = now() - interval '31 days' WHERE id = ?", UUID.fromString(id));
        double before = removedMetric("expire-outputs");

        assertThat(runUntilDone("expire-outputs")).isPositive();

        JsonNode status = api.get("/v1/generations/" + id, account.key()).body();
        assertThat(status.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.path("outputs")).isEmpty();
        assertThat(status.path("outputsExpiredAt").asText()).isNotBlank();
        assertThat(api.download(url).statusCode()).isEqualTo(404);
        assertThat(stack.bean(RetentionTask.class, "expire-outputs").runOnce()).isZero();
        assertThat(removedMetric("expire-outputs")).isGreaterThan(before);
    }

    @Test
    void activityIsKeptAYear() {
        Api.Account account = api.newAccount(0);
        Fixtures.update("INSERT INTO activity (at, account_id, actor, kind) VALUES (now() - interval '400 days', ?, 'test', 'old.event')", account.id());
        Fixtures.update("INSERT INTO activity (at, account_id, actor, kind) VALUES (now() - interval '300 days', ?, 'test', 'recent.event')", account.id());

        assertThat(runUntilDone("purge-activity")).isPositive();

        assertThat(Fixtures.query("SELECT kind FROM activity WHERE account_id = ? AND actor = 'test'", rs -> rs.getString(1), account.id()))
            .containsExactly("recent.event");
    }

    @Test
    void aClosedAccountsHistoryGoesAYearAfterItsClosureAndItsLedgerStays() throws Exception {
        Api.Account account = api.newAccount(100);
        String id = api.submitted(account, "emu-text", "{\"prompt\":\"history\"}");
        api.awaitEnd(account, id, END);
        api.post("/admin/v1/accounts/" + account.id() + "/erase", api.admin("sam"), "{\"reason\":\"asked by the owner\"}");
        long transfers = Fixtures.count("SELECT count(*) FROM ledger_transfer WHERE debit_account_id = ?", account.id());

        assertThat(stack.bean(RetentionTask.class, "purge-closed-history").runOnce()).as("closed today: kept").isZero();
        Fixtures.update("UPDATE account SET closed_at = now() - interval '366 days' WHERE id = ?", account.id());
        assertThat(runUntilDone("purge-closed-history")).isPositive();

        assertThat(Fixtures.count("SELECT count(*) FROM generation WHERE account_id = ?", account.id())).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM api_key WHERE account_id = ?", account.id())).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM account WHERE id = ?", account.id())).isEqualTo(1);
        assertThat(Fixtures.count("SELECT count(*) FROM ledger_transfer WHERE debit_account_id = ?", account.id())).isEqualTo(transfers);
    }

    @Test
    void billingRecordsAreArchivedToS3AfterFiveYearsAndTheAuditStillBalances() throws Exception {
        Api.Account account = api.newAccount(100);
        String id = api.submitted(account, "emu-text", "{\"prompt\":\"billed\"}");
        api.awaitEnd(account, id, END);
        String invoice = api.post("/v1/topups", account.key(), Gateways.topupBody("nowpayments", 200)).body().path("providerPaymentId").asText();
        String order = stack.gateways.nowpayments.invoice(invoice).orderRef();
        stack.gateways.nowpayments.send(stack.gateways.nowpayments.ipn(invoice, order, "partially_paid", "2", "usd", "0.4", "0.2"));
        stack.gateways.nowpayments.send(stack.gateways.nowpayments.ipn(invoice, "finished", "2", "usd"));
        long balance = api.balance(account);
        Fixtures.update("UPDATE ledger_transfer SET created_at = created_at - interval '6 years' WHERE debit_account_id = ? OR credit_account_id = ?",
            account.id(), account.id());
        Fixtures.update("UPDATE payment SET created_at = created_at - interval '6 years', updated_at = updated_at - interval '6 years' "
            + "WHERE account_id = ?", account.id());
        Fixtures.update("UPDATE generation SET created_at = created_at - interval '6 years' WHERE account_id = ?", account.id());

        // the payment's first credit alone: the audit holds between batches too, whatever a batch cut
        Fixtures.update("UPDATE ledger_transfer SET created_at = created_at - interval '1 year' WHERE credit_account_id = ? "
            + "AND external_ref LIKE 'nowpayments:%' AND amount_coins = 100", account.id());
        stack.bean(dev.genq.privacy.Retention.class).archiveBilling(java.time.Instant.now().minus(java.time.Duration.ofDays(1826)), true, 1);
        assertThat(Fixtures.count("SELECT count(*) FROM payment WHERE account_id = ?", account.id())).as("its second credit remains").isEqualTo(1);
        assertThat(stack.bean(dev.genq.ledger.LedgerAudit.class).discrepancies()).isEmpty();
        assertThat(runUntilDone("archive-billing")).isPositive();

        assertThat(Fixtures.count("SELECT count(*) FROM ledger_transfer WHERE debit_account_id = ? OR credit_account_id = ?",
            account.id(), account.id())).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM payment WHERE account_id = ?", account.id())).isZero();
        assertThat(Fixtures.count("SELECT credited FROM ledger_carry WHERE account_id = ?", account.id())).isEqualTo(300);
        assertThat(api.balance(account)).as("the wallet is untouched").isEqualTo(balance);
        String archive = Fixtures.query("SELECT object_key FROM ledger_archive WHERE object_key IS NOT NULL ORDER BY id DESC LIMIT 1",
            rs -> rs.getString(1)).getFirst();
        String archived = new String(api.download(stack.bean(dev.genq.blob.BlobStore.class).presignGet(archive).toString()).body(),
            java.nio.charset.StandardCharsets.UTF_8);
        assertThat(archived).contains(id);
        assertThat(stack.bean(RetentionTask.class, "archive-billing").runOnce()).isZero();
    }
}
