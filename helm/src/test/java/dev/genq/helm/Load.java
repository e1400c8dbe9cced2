package dev.genq.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genq.ledger.LedgerAudit;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generations submitted by 16 clients at once to a cluster, with a strike (a signal, an outage) made
 * while they come in, and what became of them, read from the API and from PostgreSQL.
 */
final class Load {
    static final long COINS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTIVE = "status IN ('QUEUED', 'RUNNING')";

    /** A submit that was not admitted: the HTTP status (0 when no answer came), the error code, how long the answer took, and when it came. */
    record Refusal(int status, String code, long millis, Instant at) {
        /** No answer, 503, or 409 because the key's earlier attempt still holds it (its lease ends within a minute). */
        boolean worthRetrying() {
            return status == 0 || status == 503 || status == 409 && code.equals("request_in_progress");
        }
    }

    /** Done while the submits go on; it gets the account's key and the generations admitted so far (a live list). */
    @FunctionalInterface
    interface Strike {
        void run(String key, List<String> admitted) throws Exception;
    }

    @FunctionalInterface
    interface PerGeneration {
        void check(String id) throws Exception;
    }

    final String key;
    final UUID account;
    /** Admitted (202) generations. */
    final List<String> ids;
    final List<Refusal> refusals;
    final Instant started;
    final Instant submitted;
    private final Cluster cluster;

    private Load(Cluster cluster, String key, UUID account, List<String> ids, List<Refusal> refusals, Instant started, Instant submitted) {
        this.cluster = cluster;
        this.key = key;
        this.account = account;
        this.ids = ids;
        this.refusals = refusals;
        this.started = started;
        this.submitted = submitted;
    }

    /** {@code total} generations of {@code model} with prompts "{@code prompt} N"; {@code strike} runs once {@code strikeAfter} submits were answered. */
    static Load run(Cluster cluster, String name, String model, String prompt, int total, int strikeAfter, Strike strike) throws Exception {
        return run(cluster, name, model, prompt, total, strikeAfter, strike, false);
    }

    /**
     * {@link #run}, by clients that do what a refusal asks: each submit carries an Idempotency-Key, and
     * one refused for now or unanswered is sent again with the same key, every half second, up to 90 s.
     */
    static Load runRetrying(Cluster cluster, String name, String model, String prompt, int total, int strikeAfter, Strike strike)
        throws Exception {
        return run(cluster, name, model, prompt, total, strikeAfter, strike, true);
    }

    private static Load run(Cluster cluster, String name, String model, String prompt, int total, int strikeAfter, Strike strike,
                            boolean retrying) throws Exception {
        JsonNode opened = cluster.call("POST", "/admin/v1/accounts", Cluster.ADMIN_KEY,
            "{\"name\":\"" + name + "\",\"initialCoins\":" + COINS + "}", 201);
        String key = opened.path("apiKey").asText();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answered = new AtomicInteger();
        Instant started = Instant.now();
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<?>> submits = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String body = "{\"model\":\"" + model + "\",\"inputs\":{\"prompt\":\"" + prompt + " " + i + "\"}}";
                String idempotencyKey = retrying ? UUID.randomUUID().toString() : null;
                submits.add(clients.submit(() -> {
                    try {
                        for (int attempt = 1; ; attempt++) {
                            Refusal refused = submit(cluster, key, body, idempotencyKey, ids);
                            if (refused == null) {
                                break;
                            }
                            refusals.add(refused);
                            if (!retrying || !refused.worthRetrying() || attempt == 180) {
                                break;
                            }
                            Thread.sleep(500);
                        }
                    } finally {
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            if (strike != null) {
                while (answered.get() < strikeAfter) {
                    Thread.sleep(20);
                }
                strike.run(key, ids);
            }
            for (Future<?> submit : submits) {
                submit.get();
            }
        }
        return new Load(cluster, key, UUID.fromString(opened.path("id").asText()), List.copyOf(ids), List.copyOf(refusals), started,
            Instant.now());
    }

    /** One submit: null when admitted (its id added to {@code ids}), else how it was refused. */
    private static Refusal submit(Cluster cluster, String key, String body, String idempotencyKey, List<String> ids) throws Exception {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = cluster.send("POST", "/v1/generations", key, body, idempotencyKey);
            if (r.statusCode() == 202) {
                ids.add(JSON.readTree(r.body()).path("id").asText());
                return null;
            }
            return new Refusal(r.statusCode(), JSON.readTree(r.body()).path("error").path("code").asText(r.body()),
                (System.nanoTime() - t0) / 1_000_000, Instant.now());
        } catch (IOException e) {
            return new Refusal(0, e.toString(), (System.nanoTime() - t0) / 1_000_000, Instant.now());
        }
    }

    /**
     * Waits until every generation of the account has ended, as PostgreSQL has it; returns when that
     * was. The account holds exactly the admitted generations: a refused submit left nothing behind.
     */
    Instant awaitEnded(Duration within) throws Exception {
        Instant until = Instant.now().plus(within);
        while (true) {
            long[] counts = counts();
            assertThat(counts[0]).as("generations of the account: the admitted ones, none more").isEqualTo(ids.size());
            if (counts[1] == 0) {
                return Instant.now();
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(counts[1] + " of " + ids.size() + " generations still active after " + within + ":\n" + stuck());
            }
            Thread.sleep(250);
        }
    }

    /**
     * What the load left: every generation ended, and the API says so too (no stale status); each
     * success charged its price once, each failure refunded; the wallet and the ledger audit agree.
     * {@code perGeneration} checks each one at the vendor. Returns the outcome, for the figures.
     */
    Outcome assertSettled(PerGeneration perGeneration) throws Exception {
        long succeeded = 0;
        long failed = 0;
        long overcharged = 0;
        long charged = 0;
        try (Connection c = cluster.db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id, status, price_coins, charged_coins FROM generation WHERE account_id = ?")) {
            q.setObject(1, account);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String status = rs.getString("status");
                    long price = rs.getLong("price_coins");
                    long paid = rs.getLong("charged_coins");
                    if (status.equals("SUCCEEDED")) {
                        succeeded++;
                        assertThat(paid).as("%s charged its price", rs.getString("id")).isGreaterThanOrEqualTo(price);
                    } else if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                        failed++;
                    }
                    overcharged += paid > (status.equals("SUCCEEDED") ? price : 0) ? 1 : 0;
                    charged += paid;
                }
            }
        }
        for (String id : ids) {
            JsonNode seen = cluster.call("GET", "/v1/generations/" + id, key, null, 200);
            assertThat(seen.path("status").asText()).as("the API's status of %s: ended", id).isIn("SUCCEEDED", "FAILED", "CANCELLED");
            perGeneration.check(id);
        }
        long lost = ids.size() - succeeded - failed;
        assertThat(lost).as("generations not ended").isZero();
        assertThat(overcharged).as("generations charged more than their price (a success) or anything (a failure)").isZero();
        long balance = cluster.call("GET", "/v1/wallet", key, null, 200).path("balanceCoins").asLong();
        assertThat(balance).as("the wallet: every charge once, every refund made").isEqualTo(COINS - charged);
        List<String> discrepancies = new LedgerAudit(cluster.db).discrepancies();
        assertThat(discrepancies).as("the ledger audit").isEmpty();
        return new Outcome(ids.size(), succeeded, failed, refusals.size(), lost, overcharged, discrepancies.size());
    }

    /** How many generations were admitted, succeeded, failed (refunded), were refused at submit, not ended, charged twice, and the audit's findings. */
    record Outcome(long admitted, long succeeded, long failed, long refused, long lost, long overcharged, long discrepancies) {
    }

    /** Completions per second over the load: admitted generations over the time from the first submit to the last end. */
    double rate() throws Exception {
        try (Connection c = cluster.db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT max(finished_at) FROM generation WHERE account_id = ?")) {
            q.setObject(1, account);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return ids.size() * 1000.0 / Duration.between(started, rs.getTimestamp(1).toInstant()).toMillis();
            }
        }
    }

    private long[] counts() throws Exception {
        try (Connection c = cluster.db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE " + ACTIVE + ") FROM generation WHERE account_id = ?")) {
            q.setObject(1, account);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** The generations still active, with what PostgreSQL knows of them and what the API says. */
    private String stuck() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = cluster.db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id, status, attempts, provider, provider_task_id, next_check_at,"
                 + " check_leased_until, started_at, updated_at, (SELECT state FROM jobrunr_jobs j WHERE j.id = CAST(g.id AS char(36))) AS job"
                 + " FROM generation g"
                 + " WHERE account_id = ? AND " + ACTIVE + " LIMIT 10")) {
            q.setObject(1, account);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    out.append("  ").append(id).append(' ').append(rs.getString("status")).append(" attempts=").append(rs.getInt("attempts"))
                        .append(" provider=").append(rs.getString("provider")).append(" task=").append(rs.getString("provider_task_id"))
                        .append(" next_check=").append(rs.getString("next_check_at")).append(" leased_until=").append(rs.getString("check_leased_until"))
                        .append(" updated=").append(rs.getString("updated_at")).append(" job=").append(rs.getString("job"))
                        .append(" api=").append(cluster.send("GET", "/v1/generations/" + id, key, null).body()).append('\n');
                }
            }
        }
        return out.toString();
    }
}
