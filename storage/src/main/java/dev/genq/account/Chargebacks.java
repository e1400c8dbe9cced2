package dev.genq.account;

import dev.genq.activity.Source;
import dev.genq.generation.Submissions;
import dev.genq.ledger.Ledger;
import dev.genq.ledger.LedgerResult;
import dev.genq.ledger.Wallet;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * A chargeback or dispute: block the account (so it reserves nothing new), cancel and refund its
 * queued generations, then forfeit its whole balance. Each step is idempotent, so replaying the
 * same dispute event changes nothing; running generations finish normally, and what they do not
 * capture returns to the blocked wallet, where another forfeit can take it.
 */
@Singleton
public class Chargebacks {
    private final AccountStates states;
    private final Submissions submissions;
    private final Ledger ledger;

    public Chargebacks(AccountStates states, Submissions submissions, Ledger ledger) {
        this.states = states;
        this.submissions = submissions;
        this.ledger = ledger;
    }

    /** What one chargeback did. */
    @Serdeable
    public record Outcome(UUID accountId, int generationsCancelled, long forfeitedCoins, Wallet wallet) {
    }

    public Outcome apply(UUID accountId, String disputeId, String reason, String actor, Source source) {
        states.block(accountId, "chargeback " + disputeId + ": " + reason, actor, source);
        int cancelled = submissions.cancelQueued(accountId, "account_blocked", reason);
        long before = ledger.wallet(accountId).orElseThrow().balanceCoins();
        LedgerResult forfeit = ledger.forfeit(Ledger.derivedId("forfeit:" + accountId + ":" + disputeId), accountId,
            "chargeback " + disputeId + ": " + reason, actor);
        Wallet after = ledger.wallet(accountId).orElseThrow();
        long forfeited = forfeit == LedgerResult.OK ? before - after.balanceCoins() : 0;
        return new Outcome(accountId, cancelled, forfeited, after);
    }
}
