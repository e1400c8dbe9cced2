package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** A person's rights over their account: see and export everything, rectify, erase; and the activity log that records it. */
class PrivacyTest extends EndToEndTest {

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    /** An account with a contact e-mail, a succeeded image, a paid Lava top-up and a second key. */
    private record Used(Api.Account account, String generation, String secondKey) {
    }

    private Used used() throws Exception {
        Api.Account account = api.newAccount(100);
        assertThat(api.patch("/v1/account", account.key(), "{\"email\":\"ada@example.com\",\"phone\":\"+7 900 000-00-00\"}").status())
            .isEqualTo(200);
        String generation = api.submitted(account, "emu-image", "{\"prompt\":\"a private fox\"}");
        assertThat(api.awaitEnd(account, generation, END).path("status").asText()).isEqualTo("SUCCEEDED");
        String invoice = api.post("/v1/topups", account.key(), Gateways.topupBody("lava", 50)).body().path("providerPaymentId").asText();
        stack.gateways.lava.send(stack.gateways.lava.paid(invoice, "50.00"));
        String second = api.post("/v1/keys", account.key(), "{\"name\":\"ci\",\"scopes\":[\"read\"]}").body().path("key").asText();
        return new Used(account, generation, second);
    }

    @Test
    void anExportHoldsEverythingGenqKnowsAboutTheAccountAndNoSecret() throws Exception {
        Used used = used();

        HttpResponse<byte[]> export = api.bytes("/v1/account/export", used.account().key());

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/zip"));
        Map<String, String> files = unzip(export.body());
        assertThat(files).containsKeys("README.txt", "account.jsonl", "wallet.jsonl", "keys.jsonl", "generations.jsonl", "transactions.jsonl",
            "payments.jsonl", "activity.jsonl", "account_states.jsonl", "outputs.jsonl", "quotes.jsonl", "webhook_endpoints.jsonl");
        assertThat(files.get("account.jsonl")).contains("ada@example.com", used.account().id().toString());
        assertThat(files.get("wallet.jsonl")).contains("\"balance_coins\":140");
        assertThat(files.get("generations.jsonl")).contains("a private fox", used.generation());
        assertThat(files.get("transactions.jsonl")).contains(used.generation(), "lava:");
        assertThat(files.get("payments.jsonl")).contains("\"provider\":\"lava\"", "https://shop.example/back");
        assertThat(files.get("activity.jsonl")).contains("topup.created", "topup.paid", "key.created", "account.exported", "sign_in.key");
        assertThat(files.get("keys.jsonl").lines()).hasSize(2);
        String all = String.join("\n", files.values());
        assertThat(all).doesNotContain(used.account().key(), used.secondKey(), "key_hash");
        JsonNode output = Api.JSON.readTree(files.get("outputs.jsonl").lines().findFirst().orElseThrow());
        assertThat(output.path("generationId").asText()).isEqualTo(used.generation());
        assertThat(api.download(output.path("url").asText()).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> byAdmin = api.bytes("/admin/v1/accounts/" + used.account().id() + "/export", api.admin("sam"));
        assertThat(unzip(byAdmin.body()).get("account.jsonl")).contains("ada@example.com");
        assertThat(api.bytes("/v1/account/export", used.secondKey()).statusCode()).as("a read-only key cannot export").isEqualTo(403);
    }

    @Test
    void erasureClosesTheAccountForGoodDeletesItsPersonalDataAndKeepsTheLedgersAmounts() throws Exception {
        Used used = used();
        UUID id = used.account().id();
        JsonNode walletBefore = api.get("/admin/v1/accounts/" + id, api.admin("sam")).body().path("wallet");
        long transfersBefore = Fixtures.count("SELECT count(*) FROM ledger_transfer WHERE debit_account_id = ? OR credit_account_id = ?", id, id);
        String outputUrl = api.get("/v1/generations/" + used.generation(), used.account().key()).body().path("outputs").get(0).path("url").asText();

        assertThat(api.post("/v1/account/erase", used.account().key(), "{\"confirm\":\"yes\"}").errorCode()).isEqualTo("invalid_request");
        Api.Response erased = api.post("/v1/account/erase", used.account().key(), "{\"confirm\":\"" + id + "\"}");

        assertThat(erased.status()).as(erased.raw()).isEqualTo(200);
        assertThat(erased.body().path("state").asText()).isEqualTo("closed");
        assertThat(api.get("/v1/wallet", used.account().key()).status()).as("the old key").isEqualTo(401);
        assertThat(api.get("/v1/wallet", used.secondKey()).status()).as("every key").isEqualTo(401);
        assertThat(api.download(outputUrl).statusCode()).as("the output is gone from S3").isEqualTo(404);
        assertThat(Fixtures.query("SELECT inputs::text || outputs::text FROM generation WHERE id = ?", rs -> rs.getString(1),
            UUID.fromString(used.generation()))).containsExactly("{}[]");
        assertThat(Fixtures.query("SELECT name || '|' || coalesce(email, '-') || '|' || coalesce(phone, '-') FROM account WHERE id = ?",
            rs -> rs.getString(1), id)).containsExactly("erased|-|-");
        assertThat(Fixtures.count("SELECT count(*) FROM activity WHERE account_id = ? AND (ip IS NOT NULL OR user_agent IS NOT NULL)", id)).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM payment WHERE account_id = ? AND return_url IS NOT NULL", id)).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM ledger_transfer WHERE debit_account_id = ? OR credit_account_id = ?", id, id))
            .isEqualTo(transfersBefore);
        JsonNode admin = api.get("/admin/v1/accounts/" + id, api.admin("sam")).body();
        assertThat(admin.path("state").asText()).isEqualTo("closed");
        assertThat(admin.path("wallet").path("creditedCoins")).isEqualTo(walletBefore.path("creditedCoins"));

        assertThat(api.post("/admin/v1/accounts/" + id + "/unblock", api.admin("sam"), "{\"reason\":\"reopen\"}").errorCode())
            .isEqualTo("invalid_state");
        assertThat(api.post("/admin/v1/accounts/" + id + "/erase", api.admin("sam"), "{\"reason\":\"again\"}").status()).isEqualTo(200);
        assertThat(api.patch("/admin/v1/accounts/" + id, api.admin("sam"), "{\"name\":\"back\"}").errorCode()).isEqualTo("invalid_state");
    }

    @Test
    void theOwnerAndAnAdminRectifyTheNameAndContactFields() {
        Api.Account account = api.newAccount(0);

        Api.Response changed = api.patch("/v1/account", account.key(), "{\"name\":\"Ada L.\",\"email\":\"ada@example.org\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("name").asText()).isEqualTo("Ada L.");
        assertThat(api.patch("/v1/account", account.key(), "{\"email\":\"not an address\"}").errorCode()).isEqualTo("invalid_request");
        assertThat(api.patch("/v1/account", account.key(), "{}").errorCode()).isEqualTo("invalid_request");
        assertThat(api.patch("/v1/account", account.key(), "{\"email\":\"\"}").body().path("email").isNull()).isTrue();
        assertThat(api.patch("/admin/v1/accounts/" + account.id(), api.admin("sam"), "{\"phone\":\"+44 20 7946 0000\"}").body()
            .path("phone").asText()).isEqualTo("+44 20 7946 0000");
        assertThat(api.get("/v1/account", account.key()).body().path("name").asText()).isEqualTo("Ada L.");
        assertThat(api.get("/v1/activity", account.key()).body().path("data")).extracting(a -> a.path("kind").asText())
            .contains("account.rectified", "admin.action");
    }

    @Test
    void theActivityLogRecordsSignInsWithTheirSourceIsAppendOnlyAndEachAccountSeesItsOwn() {
        Api.Account account = api.newAccount(0);
        Api.Account other = api.newAccount(0);
        api.get("/v1/wallet", account.key(), Map.of("User-Agent", "GenqTest/1.0"));
        api.get("/v1/wallet", account.key(), Map.of("User-Agent", "GenqTest/1.0"));
        Api.Response key = api.post("/v1/keys", account.key(), "{\"name\":\"second\",\"scopes\":[\"read\"]}");
        assertThat(key.status()).as(key.raw()).isEqualTo(201);

        JsonNode mine = api.get("/v1/activity", account.key()).body().path("data");

        assertThat(mine).filteredOn(a -> a.path("kind").asText().equals("sign_in.key") && a.path("userAgent").asText().equals("GenqTest/1.0"))
            .hasSize(1).allSatisfy(a -> assertThat(a.path("ip").asText()).isEqualTo("127.0.0.1"));
        assertThat(mine).extracting(a -> a.path("kind").asText()).contains("key.created");
        assertThat(mine).allSatisfy(a -> assertThat(a.path("accountId").asText()).isEqualTo(account.id().toString()));
        assertThat(api.get("/v1/activity", other.key()).body().path("data"))
            .noneSatisfy(a -> assertThat(a.path("accountId").asText()).isEqualTo(account.id().toString()));
        String from = java.time.Instant.now().minusSeconds(60).toString();
        assertThat(api.get("/admin/v1/activity?account=" + account.id() + "&from=" + from + "&limit=1", api.admin("sam")).body()
            .path("nextCursor").asText()).isNotBlank();
        assertThat(api.get("/admin/v1/activity?from=yesterday", api.admin("sam")).errorCode()).isEqualTo("invalid_request");
        assertThatThrownBy(() -> Fixtures.count("UPDATE activity SET kind = 'nothing' WHERE account_id = ? RETURNING 1", account.id()))
            .hasMessageContaining("append-only");
    }
}
