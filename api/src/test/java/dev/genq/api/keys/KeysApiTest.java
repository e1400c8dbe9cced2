package dev.genq.api.keys;

import static dev.genq.api.support.ApiRole.JSON;
import static dev.genq.api.support.ApiRole.body;
import static dev.genq.api.support.ApiRole.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genq.account.AccountKeys;
import dev.genq.api.support.ApiRole;
import io.micronaut.security.token.jwt.generator.JwtTokenGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Keys an account manages itself, the browser tokens made from them, and people's admin keys with
 * roles, over HTTP against the api role on real PostgreSQL and Redis.
 */
class KeysApiTest {
    private final ApiRole api = ApiRole.get();

    @Nested
    class AccountKeysOwnedByTheAccount {
        @Test
        void aKeyDoesWhatItsScopesSayAndNoMore() throws Exception {
            String owner = api.newAccount(10);
            JsonNode made = body(api.send("POST", "/v1/keys", owner, "{\"name\":\"dashboard reader\",\"scopes\":[\"read\"]}"), 201);
            String reader = made.path("key").asText();

            assertThat(reader).startsWith("gq_");
            assertThat(made.path("scopes")).extracting(JsonNode::asText).containsExactly("read");
            assertThat(api.send("GET", "/v1/wallet", reader).statusCode()).isEqualTo(200);
            assertThat(error(api.send("POST", "/v1/quotes", reader, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"}}"), 403))
                .isEqualTo("insufficient_scope");
            assertThat(error(api.send("GET", "/v1/keys", reader), 403)).isEqualTo("insufficient_scope");
            assertThat(error(api.send("POST", "/v1/keys", owner, "{\"name\":\"x\",\"scopes\":[\"admin\"]}"), 400)).isEqualTo("invalid_request");
            assertThat(error(api.send("POST", "/v1/keys", owner, "{\"name\":\"x\",\"scopes\":[]}"), 400)).isEqualTo("invalid_request");
            assertThat(error(api.send("POST", "/v1/keys", owner, "{\"name\":\"\",\"scopes\":[\"read\"]}"), 400)).isEqualTo("invalid_request");
        }

        @Test
        void theListShowsNamesScopesAndLastUseButNeverASecret() throws Exception {
            String owner = api.newAccount(10);
            String reader = body(api.send("POST", "/v1/keys", owner, "{\"name\":\"ci\",\"scopes\":[\"read\",\"submit\"]}"), 201)
                .path("key").asText();
            api.send("GET", "/v1/wallet", reader);

            JsonNode list = body(api.send("GET", "/v1/keys", owner), 200).path("data");

            assertThat(list).hasSize(2);
            assertThat(list).extracting(k -> k.path("name").asText()).containsExactly("ci", "first key");
            assertThat(list.get(0).path("lastUsedAt").isNull()).as("used just now").isFalse();
            assertThat(list.get(0).path("prefix").asText()).isEqualTo(reader.substring(0, 9));
            assertThat(list.toString()).doesNotContain(reader.substring(9)).doesNotContain("keyHash");
            assertThat(list).allSatisfy(k -> assertThat(k.path("key").isTextual()).isFalse());
        }

        @Test
        void aRevokedKeyStopsAndAnotherAccountCannotTouchMine() throws Exception {
            String owner = api.newAccount(10);
            String stranger = api.newAccount(10);
            JsonNode made = body(api.send("POST", "/v1/keys", owner, "{\"name\":\"leaked\",\"scopes\":[\"read\"]}"), 201);
            String id = made.path("id").asText();
            assertThat(api.send("GET", "/v1/wallet", made.path("key").asText()).statusCode()).isEqualTo(200);

            assertThat(error(api.send("POST", "/v1/keys/" + id + "/revoke", stranger), 404)).isEqualTo("not_found");
            assertThat(error(api.send("POST", "/v1/keys/" + id + "/rotate", stranger, "{}"), 404)).isEqualTo("not_found");
            assertThat(body(api.send("POST", "/v1/keys/" + id + "/revoke", owner), 200).path("revokedAt").isNull()).isFalse();

            assertThat(error(api.send("GET", "/v1/wallet", made.path("key").asText()), 401)).isEqualTo("unauthorized");
            assertThat(error(api.send("POST", "/v1/keys/" + id + "/rotate", owner, "{}"), 409)).isEqualTo("invalid_state");
        }

        @Test
        void aRotatedKeyWorksThroughItsOverlapAndTheSuccessorKeepsNameAndScopes() throws Exception {
            String owner = api.newAccount(10);
            JsonNode old = body(api.send("POST", "/v1/keys", owner, "{\"name\":\"worker\",\"scopes\":[\"read\",\"submit\"]}"), 201);
            String oldKey = old.path("key").asText();

            JsonNode rotated = body(api.send("POST", "/v1/keys/" + old.path("id").asText() + "/rotate", owner, "{\"overlapSeconds\":600}"), 200);

            String newKey = rotated.path("key").path("key").asText();
            assertThat(rotated.path("key").path("name").asText()).isEqualTo("worker");
            assertThat(rotated.path("key").path("scopes")).extracting(JsonNode::asText).containsExactly("read", "submit");
            Instant ends = Instant.parse(rotated.path("previous").path("expiresAt").asText());
            assertThat(ends).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
            assertThat(api.send("GET", "/v1/wallet", oldKey).statusCode()).as("inside the overlap").isEqualTo(200);
            assertThat(api.send("GET", "/v1/wallet", newKey).statusCode()).isEqualTo(200);

            body(api.send("POST", "/v1/keys/" + rotated.path("key").path("id").asText() + "/rotate", owner, "{\"overlapSeconds\":0}"), 200);
            assertThat(error(api.send("GET", "/v1/wallet", newKey), 401)).as("no overlap: ends now").isEqualTo("unauthorized");
            assertThat(error(api.send("POST", "/v1/keys/" + old.path("id").asText() + "/rotate", owner, "{\"overlapSeconds\":-1}"), 400))
                .isEqualTo("invalid_request");
        }

        @Test
        void anAccountHoldsAtMostTwentyActiveKeys() throws Exception {
            String owner = api.newAccount(10);
            for (int i = 1; i < AccountKeys.MAX_ACTIVE; i++) {
                body(api.send("POST", "/v1/keys", owner, "{\"name\":\"k" + i + "\",\"scopes\":[\"read\"]}"), 201);
            }
            assertThat(error(api.send("POST", "/v1/keys", owner, "{\"name\":\"one too many\",\"scopes\":[\"read\"]}"), 409))
                .isEqualTo("limit_reached");
        }
    }

    @Nested
    class BrowserTokens {
        @Test
        void aTokenReadsTheAccountButCannotManageKeysMakeTokensOrExceedItsScopes() throws Exception {
            String key = api.newAccount(10);
            JsonNode made = body(api.send("POST", "/v1/tokens", key, "{\"ttlSeconds\":120}"), 201);
            String token = made.path("token").asText();

            assertThat(made.path("scopes")).extracting(JsonNode::asText).containsExactly("read");
            assertThat(Instant.parse(made.path("expiresAt").asText())).isBetween(Instant.now().plusSeconds(110), Instant.now().plusSeconds(125));
            assertThat(token).doesNotStartWith("gq_");
            assertThat(api.send("GET", "/v1/wallet", token).statusCode()).isEqualTo(200);
            assertThat(error(api.send("POST", "/v1/quotes", token, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"}}"), 403))
                .isEqualTo("insufficient_scope");
            assertThat(error(api.send("POST", "/v1/tokens", token, "{}"), 403)).isEqualTo("insufficient_scope");
            assertThat(error(api.send("GET", "/v1/keys", token), 403)).isEqualTo("insufficient_scope");
            assertThat(error(api.send("POST", "/v1/tokens", key, "{\"scopes\":[\"keys\"]}"), 400)).isEqualTo("invalid_request");
            assertThat(error(api.send("POST", "/v1/tokens", key, "{\"ttlSeconds\":86400}"), 400)).isEqualTo("invalid_request");
        }

        @Test
        void aSubmitTokenSubmitsOnlyWhenItsKeyMay() throws Exception {
            String key = api.newAccount(10);
            String submitter = body(api.send("POST", "/v1/tokens", key, "{\"scopes\":[\"read\",\"submit\"]}"), 201).path("token").asText();
            assertThat(api.send("POST", "/v1/quotes", submitter, "{\"model\":\"emu-text\",\"inputs\":{\"prompt\":\"x\"}}").statusCode())
                .isEqualTo(201);

            String reader = body(api.send("POST", "/v1/keys", key, "{\"name\":\"r\",\"scopes\":[\"read\"]}"), 201).path("key").asText();
            assertThat(error(api.send("POST", "/v1/tokens", reader, "{\"scopes\":[\"submit\"]}"), 403)).isEqualTo("insufficient_scope");
        }

        @Test
        void expiredTamperedForeignOrOrphanedTokensAreRefused() throws Exception {
            String key = api.newAccount(10);
            JsonNode own = body(api.send("POST", "/v1/keys", key, "{\"name\":\"browser backend\",\"scopes\":[\"read\"]}"), 201);
            String token = body(api.send("POST", "/v1/tokens", own.path("key").asText(), "{}"), 201).path("token").asText();
            String[] parts = token.split("\\.");
            JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            String otherAccount = api.bean(dev.genq.account.AccountService.class).open("other", 0, "test").account().id().toString();
            String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.toString().replace(claims.path("sub").asText(), otherAccount).getBytes()) + "." + parts[2];
            String expired = signed(Map.of("iss", "genq", "sub", claims.path("sub").asText(), "key", claims.path("key").asText(),
                "scope", "read", "exp", Instant.now().minusSeconds(5).getEpochSecond()));
            String wrongIssuer = signed(Map.of("iss", "someone", "sub", claims.path("sub").asText(), "key", claims.path("key").asText(),
                "scope", "read", "exp", Instant.now().plusSeconds(60).getEpochSecond()));
            String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + parts[1] + ".";

            List<String> refused = new ArrayList<>();
            for (String bad : List.of(forged, expired, wrongIssuer, unsigned, token + "x", "not.a.token")) {
                refused.add(error(api.send("GET", "/v1/wallet", bad), 401));
            }
            assertThat(refused).containsOnly("unauthorized");
            assertThat(api.send("GET", "/v1/wallet", token).statusCode()).isEqualTo(200);

            body(api.send("POST", "/v1/keys/" + own.path("id").asText() + "/revoke", key), 200);
            assertThat(error(api.send("GET", "/v1/wallet", token), 401)).as("its key was revoked").isEqualTo("unauthorized");
        }

        private String signed(Map<String, Object> claims) {
            return api.bean(JwtTokenGenerator.class).generateToken(claims).orElseThrow();
        }
    }

    @Nested
    class AdminsArePeople {
        @Test
        void eachRoleDoesItsOwnWorkAndTheLedgerNamesThePerson() throws Exception {
            String support = person("sam", "support");
            String finance = person("fay", "finance");
            UUID account = accountOf(api.newAccount(10));

            assertThat(api.send("GET", "/admin/v1/accounts/" + account, support).statusCode()).isEqualTo(200);
            assertThat(error(api.send("POST", "/admin/v1/accounts/" + account + "/adjustments", support,
                "{\"amountCoins\":5,\"reason\":\"goodwill\"}"), 403)).isEqualTo("forbidden");
            assertThat(api.send("POST", "/admin/v1/accounts/" + account + "/adjustments", finance,
                "{\"amountCoins\":5,\"reason\":\"goodwill\"}").statusCode()).isEqualTo(200);
            assertThat(error(api.send("POST", "/admin/v1/models/emu-text/prices", finance,
                "{\"coinsPerUnit\":3,\"reason\":\"dearer\"}"), 403)).isEqualTo("forbidden");
            assertThat(error(api.send("POST", "/admin/v1/keys", finance, "{\"person\":\"x\",\"role\":\"admin\"}"), 403)).isEqualTo("forbidden");
            assertThat(error(api.send("GET", "/admin/v1/keys", support), 403)).isEqualTo("forbidden");

            JsonNode ledger = body(api.send("GET", "/admin/v1/accounts/" + account + "/ledger?limit=1", support), 200);
            assertThat(ledger.path("data").get(0).path("actor").asText()).isEqualTo("fay");
        }

        @Test
        void aRevokedAdminKeyStopsAndNoAccountKeyOpensAdmin() throws Exception {
            JsonNode made = body(api.send("POST", "/admin/v1/keys", ApiRole.BOOTSTRAP_KEY, "{\"person\":\"leaver\",\"role\":\"admin\"}"), 201);
            String key = made.path("key").asText();
            assertThat(key).startsWith("gqa_");
            assertThat(api.send("GET", "/admin/v1/routes", key).statusCode()).isEqualTo(200);
            JsonNode listed = body(api.send("GET", "/admin/v1/keys", ApiRole.BOOTSTRAP_KEY), 200).path("data");
            assertThat(listed.toString()).contains("leaver").doesNotContain(key.substring(10));
            assertThat(listed.get(0).path("createdBy").asText()).isEqualTo("bootstrap");

            body(api.send("POST", "/admin/v1/keys/" + made.path("id").asText() + "/revoke", ApiRole.BOOTSTRAP_KEY), 200);

            assertThat(error(api.send("GET", "/admin/v1/routes", key), 401)).isEqualTo("unauthorized");
            assertThat(error(api.send("GET", "/admin/v1/routes", api.newAccount(0)), 401)).isEqualTo("unauthorized");
            assertThat(error(api.send("POST", "/admin/v1/keys", ApiRole.BOOTSTRAP_KEY, "{\"person\":\"x\",\"role\":\"root\"}"), 400))
                .isEqualTo("invalid_request");
        }
    }

    private String person(String name, String role) throws Exception {
        return body(api.send("POST", "/admin/v1/keys", ApiRole.BOOTSTRAP_KEY, "{\"person\":\"" + name + "\",\"role\":\"" + role + "\"}"), 201)
            .path("key").asText();
    }

    private UUID accountOf(String key) {
        return api.bean(AccountKeys.class).authenticate(key).orElseThrow().account().id();
    }
}
