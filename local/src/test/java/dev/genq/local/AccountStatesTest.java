package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Admins suspend and unblock accounts, separately from a chargeback; every change is recorded with who and why. */
class AccountStatesTest extends EndToEndTest {

    private Api.Response suspend(Api.Account account, String queued) {
        return api.post("/admin/v1/accounts/" + account.id() + "/suspend", api.admin("sam"),
            "{\"reason\":\"unusual traffic\",\"queued\":\"" + queued + "\"}");
    }

    @Test
    void aSuspendedAccountKeepsItsBalanceAndQueuedWorkButStartsNothingNewUntilUnblocked() throws Exception {
        Api.Account account = api.newAccount(100);
        String queued = Fixtures.whilePaused(() -> {
            String id = api.submitted(account, "emu-text", "{\"prompt\":\"kept\"}");
            assertThat(suspend(account, "keep").body().path("state").asText()).isEqualTo("suspended");
            return id;
        });

        assertThat(api.awaitEnd(account, queued, END).path("status").asText()).as("queued work stays and runs").isEqualTo("SUCCEEDED");
        Api.Response refused = api.submit(account, "emu-text", "{\"prompt\":\"new\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("account_suspended");
        assertThat(api.post("/v1/quotes", account.key(), "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"q\"}}").errorCode())
            .isEqualTo("account_suspended");
        assertThat(api.balance(account)).isEqualTo(99);
        assertThat(api.get("/v1/account", account.key()).body().path("state").asText()).isEqualTo("suspended");

        Api.Response unblocked = api.post("/admin/v1/accounts/" + account.id() + "/unblock", api.admin("fin"), "{\"reason\":\"checked, fine\"}");

        assertThat(unblocked.body().path("state").asText()).isEqualTo("active");
        assertThat(api.submit(account, "emu-text", "{\"prompt\":\"again\"}").status()).isEqualTo(202);
        JsonNode history = api.get("/admin/v1/accounts/" + account.id() + "/states", api.admin("sam")).body().path("data");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).path("toState").asText()).isEqualTo("active");
        assertThat(history.get(0).path("actor").asText()).isEqualTo("fin");
        assertThat(history.get(0).path("reason").asText()).isEqualTo("checked, fine");
        assertThat(history.get(1).path("toState").asText()).isEqualTo("suspended");
        assertThat(history.get(1).path("actor").asText()).isEqualTo("sam");
        assertThat(api.get("/admin/v1/activity?account=" + account.id(), api.admin("sam")).body().path("data"))
            .extracting(a -> a.path("kind").asText()).contains("account.suspended", "account.active", "admin.action");
    }

    @Test
    void aSuspensionThatCancelsQueuedWorkRefundsIt() {
        Api.Account account = api.newAccount(50);
        Api.Response suspended = Fixtures.whilePaused(() -> {
            for (int i = 0; i < 3; i++) {
                api.submitted(account, "emu-image", "{\"prompt\":\"queued " + i + "\"}");
            }
            assertThat(api.balance(account)).isEqualTo(20);
            return suspend(account, "cancel");
        });

        assertThat(suspended.body().path("generationsCancelled").asInt()).isEqualTo(3);
        assertThat(api.balance(account)).as("refunded, and kept: a suspension forfeits nothing").isEqualTo(50);
        assertThat(api.get("/v1/generations", account.key()).body().path("data"))
            .allSatisfy(g -> assertThat(g.path("error").path("code").asText()).isEqualTo("account_suspended"));
    }

    @Test
    void aChargebackBlockCanBeLiftedButWhatWasForfeitedStaysForfeited() {
        Api.Account account = api.newAccount(40);
        api.post("/admin/v1/accounts/" + account.id() + "/chargeback", api.admin("fin"), "{\"disputeId\":\"dp-9\",\"reason\":\"bank dispute\"}");
        assertThat(api.submit(account, "emu-text", "{\"prompt\":\"x\"}").errorCode()).isEqualTo("account_blocked");

        assertThat(api.post("/admin/v1/accounts/" + account.id() + "/unblock", api.admin("fin"), "{\"reason\":\"dispute won\"}").status())
            .isEqualTo(200);

        assertThat(api.get("/admin/v1/accounts/" + account.id(), api.admin("fin")).body().path("state").asText()).isEqualTo("active");
        assertThat(api.balance(account)).isZero();
        assertThat(api.submit(account, "emu-text", "{\"prompt\":\"x\"}").errorCode()).isEqualTo("insufficient_funds");
    }

    @Test
    void stateChangesNeedAReasonAndRepeatingOneChangesNothing() {
        Api.Account account = api.newAccount(10);
        String path = "/admin/v1/accounts/" + account.id();

        assertThat(api.post(path + "/suspend", api.admin("sam"), "{}").errorCode()).isEqualTo("invalid_request");
        assertThat(api.post(path + "/suspend", api.admin("sam"), "{\"reason\":\"r\",\"queued\":\"drop\"}").errorCode()).isEqualTo("invalid_request");
        assertThat(suspend(account, "keep").status()).isEqualTo(200);
        assertThat(suspend(account, "keep").body().path("state").asText()).isEqualTo("suspended");
        assertThat(api.get(path + "/states", api.admin("sam")).body().path("data")).hasSize(1);
        assertThat(api.post("/admin/v1/accounts/" + java.util.UUID.randomUUID() + "/suspend", api.admin("sam"), "{\"reason\":\"r\"}").status())
            .isEqualTo(404);
    }
}
