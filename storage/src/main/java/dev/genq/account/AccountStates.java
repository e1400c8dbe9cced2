package dev.genq.account;

import dev.genq.activity.ActivityLog;
import dev.genq.activity.Source;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.Submissions;
import dev.genq.ledger.Ledger;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Moves accounts between states, each change conditional on the state it was read in, recorded with
 * who and why, and carried to the wallet (which refuses new reservations unless the account is
 * active) in the same transaction. Asking for the state an account is already in changes nothing.
 */
@Singleton
public class AccountStates {
    private final AccountRepository accounts;
    private final AccountStateChangeRepository changes;
    private final AccountKeys keys;
    private final Ledger ledger;
    private final Submissions submissions;
    private final ActivityLog activity;

    AccountStates(AccountRepository accounts, AccountStateChangeRepository changes, AccountKeys keys, Ledger ledger,
                  Submissions submissions, ActivityLog activity) {
        this.accounts = accounts;
        this.changes = changes;
        this.keys = keys;
        this.ledger = ledger;
        this.submissions = submissions;
        this.activity = activity;
    }

    /** What a suspension did. */
    @Serdeable
    public record Suspended(AccountState state, int generationsCancelled) {
    }

    /** Stops new paid work; queued generations stay, or are cancelled and refunded when {@code cancelQueued}. */
    public Suspended suspend(UUID accountId, String reason, boolean cancelQueued, String actor, Source source) {
        AccountState now = change(accountId, AccountState.SUSPENDED, Set.of(AccountState.ACTIVE), reason, actor, source);
        int cancelled = now == AccountState.SUSPENDED && cancelQueued
            ? submissions.cancelQueued(accountId, "account_suspended", "the account was suspended: " + reason) : 0;
        return new Suspended(now, cancelled);
    }

    /** Lifts a suspension or a chargeback's block; what was forfeited stays forfeited. */
    public AccountState unblock(UUID accountId, String reason, String actor, Source source) {
        return change(accountId, AccountState.ACTIVE, Set.of(AccountState.SUSPENDED, AccountState.BLOCKED), reason, actor, source);
    }

    /** A chargeback's block; a closed account stays closed (its wallet refuses reservations already). */
    public AccountState block(UUID accountId, String reason, String actor, Source source) {
        return change(accountId, AccountState.BLOCKED, Set.of(AccountState.ACTIVE, AccountState.SUSPENDED), reason, actor, source);
    }

    /** Closes for good: every key is revoked, and nothing reopens the account. */
    public AccountState close(UUID accountId, String reason, String actor, Source source) {
        AccountState now = change(accountId, AccountState.CLOSED,
            Set.of(AccountState.ACTIVE, AccountState.SUSPENDED, AccountState.BLOCKED), reason, actor, source);
        keys.revokeAll(accountId);
        return now;
    }

    public List<AccountStateChange> history(UUID accountId) {
        return changes.ofAccount(accountId);
    }

    @Transactional
    protected AccountState change(UUID accountId, AccountState to, Set<AccountState> from, String reason, String actor, Source source) {
        accounts.lockState(accountId);
        Account account = accounts.findById(accountId).orElseThrow(() -> GenqException.notFound("account " + accountId));
        AccountState current = account.accountState();
        if (current == to || (to == AccountState.BLOCKED && current == AccountState.CLOSED)) {
            return current;
        }
        if (!from.contains(current)) {
            throw new GenqException(ErrorCode.INVALID_STATE, "the account is " + current.wire() + " and cannot become " + to.wire());
        }
        accounts.changeState(accountId, current.wire(), to.wire(), reason);
        accounts.recordChange(accountId, current.wire(), to.wire(), reason, actor);
        if (to == AccountState.ACTIVE) {
            ledger.unblock(accountId);
        } else {
            ledger.block(accountId);
        }
        activity.record(accountId, actor, "account." + to.wire(), "from " + current.wire() + ": " + reason, source);
        keys.forget(accountId);
        return to;
    }
}
