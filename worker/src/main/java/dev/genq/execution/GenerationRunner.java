package dev.genq.execution;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationExecutor;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.infra.JsonText;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderLimits;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.Providers;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskState;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobRunr job's work: start one attempt of a generation at its vendor and return. Waiting on
 * the vendor happens elsewhere ({@link TaskPoller}), so a job holds a worker only for the submit.
 * Safe to run more than once: a terminal generation is skipped, a generation whose vendor task is
 * recorded is resumed rather than submitted again, and the vendor sees the generation id as its
 * idempotency key where it takes one.
 *
 * <p>Routes are tried in the catalog's order. A route whose breaker is open is skipped; a submit
 * that fails for the route's sake with nothing started (the vendor is down, throttling, or refuses
 * our key) moves on to the next route at once. A failure about the request itself, or one whose
 * fate at the vendor is unknown, does not: the first would fail everywhere, the second could pay twice.
 */
@Singleton
public class GenerationRunner implements GenerationExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationRunner.class);

    private final TaskChecks checks;
    private final Settlement settlement;
    private final Catalog catalog;
    private final Routes routes;
    private final TaskOutcomes outcomes;
    private final ProviderLimits limits;
    private final FailurePolicy failures;
    private final JsonText json;
    private final Clock clock;
    private final Duration checkLease; // read once: a configuration getter converts on every call

    GenerationRunner(TaskChecks checks, Settlement settlement, Catalog catalog, Routes routes, TaskOutcomes outcomes,
                     ProviderLimits limits, FailurePolicy failures, WorkerConfig config, JsonText json, Clock clock) {
        this.checks = checks;
        this.settlement = settlement;
        this.catalog = catalog;
        this.routes = routes;
        this.outcomes = outcomes;
        this.limits = limits;
        this.failures = failures;
        this.json = json;
        this.clock = clock;
        this.checkLease = config.getCheckLease();
    }

    @Override
    public void execute(UUID generationId, String modelId, UUID accountId) throws Exception {
        if (modelId != null && firstRun(generationId, modelId, accountId)) {
            return;
        }
        Optional<Generation> loaded = checks.load(generationId);
        if (loaded.isEmpty()) {
            LOG.warn("generation {} does not exist; nothing to run", generationId);
            return;
        }
        Generation current = loaded.get();
        if (current.status().isTerminal()) {
            return;
        }
        if (current.providerTaskId() != null) {
            resume(current);
            return;
        }
        if (current.cancelRequestedAt() != null) {
            settlement.cancelled(current); // its owner cancelled it between attempts: no task was started, so nothing is owed
            return;
        }
        Model model = catalog.model(current.model());
        List<Routes.Target> targets = routes.targets(model);
        if (targets.isEmpty()) {
            settlement.fail(current, "provider_not_configured", "no route of model " + model.id() + " has a configured provider account");
            return;
        }
        // Permits are taken before the attempt starts, so waiting for one never uses up attempts.
        int first = firstOpenRoute(targets, current.id(), current.accountId());
        Optional<Generation> started = checks.start(current);
        if (started.isEmpty()) {
            if (first >= 0) {
                limits.releaseTask(targets.get(first).account().config(), current.id());
            }
            return; // already finished, or another run changed it first
        }
        if (first < 0) {
            settleSubmitFailure(started.get(), ProviderException.retryable("no_route_available",
                "every route of model " + model.id() + " is failing and its breaker is open"));
            return;
        }
        submit(started.get(), targets, first);
    }

    /**
     * A job's first execution, the common case, in one statement: the first open route's permits,
     * then QUEUED → RUNNING by a compare-and-set that returns the row (no read before it). True when
     * that settled the run. False, having changed nothing, without an open route or a permit: the
     * general path decides from the row. A generation that is not QUEUED any more has ended, or was
     * started by an earlier execution of this same job: one on a worker that died before recording
     * a vendor task, which JobRunr runs again once that worker's heartbeat stops. The general path
     * takes that over (and follows the task if one was recorded meanwhile).
     */
    private boolean firstRun(UUID id, String modelId, UUID accountId) throws ProviderException {
        List<Routes.Target> targets = routes.targets(catalog.model(modelId));
        int first;
        try {
            first = firstOpenRoute(targets, id, accountId);
        } catch (PermitUnavailable e) {
            return false; // the general path waits for the permit only if the generation still needs one
        }
        if (first < 0) {
            return false;
        }
        Optional<Generation> started = checks.startQueued(id);
        if (started.isEmpty()) {
            if (checks.load(id).map(g -> g.status().isTerminal()).orElse(true)) {
                limits.releaseTask(targets.get(first).account().config(), id); // an ended generation needs no permit
                return true;
            }
            return false; // the permit is the generation's, and the general path keeps it
        }
        submit(started.get(), targets, first);
        return true;
    }

    /** The first route whose breaker is closed; -1 if none. Throws when it is the account's cap that stops us. */
    private int firstOpenRoute(List<Routes.Target> targets, UUID generationId, UUID accountId) throws PermitUnavailable {
        for (int i = 0; i < targets.size(); i++) {
            Routes.Target target = targets.get(i);
            if (routes.allow(target)) {
                if (!limits.tryAcquireTask(target.account().config(), generationId, accountId) || !limits.tryCall(target.account().config())) {
                    throw new PermitUnavailable(target.account().name());
                }
                return i;
            }
        }
        return -1;
    }

    private void submit(Generation running, List<Routes.Target> targets, int first) throws ProviderException {
        ProviderException last = null;
        for (int i = first; i < targets.size(); i++) {
            Routes.Target target = targets.get(i);
            if (i > first && !(routes.allow(target) && limits.tryAcquireTask(target.account().config(), running.id(), running.accountId())
                && limits.tryCall(target.account().config()))) {
                limits.releaseTask(target.account().config(), running.id());
                continue;
            }
            try {
                Submission submission = target.account().provider().submit(new ProviderRequest(running.id(), target.vendorModel(),
                    json.readObject(running.inputs()), running.units(), routes.webhookUrl(target.account()), target.route().options()));
                routes.record(target, true);
                Instant now = clock.instant();
                String account = target.account().name();
                if (submission.state() instanceof TaskState.Running) {
                    // Scheduled for its first check by the record itself: one write, not two.
                    checks.recordTask(running, account, submission.taskId(), now.plus(target.deadline()),
                        now.plus(routes.nextCheckAfter(target.account(), Duration.ZERO)));
                } else {
                    // Ended already: this job settles it under a lease, so the vendor's webhook about it
                    // cannot have the poller store the same outputs a second time.
                    checks.recordTaskHeld(running, account, submission.taskId(), now.plus(target.deadline()), now.plus(checkLease))
                        .ifPresent(recorded -> outcomes.apply(recorded, target.account(), submission.state()));
                }
                return;
            } catch (ProviderException e) {
                limits.releaseTask(target.account().config(), running.id());
                if (e.routeFault()) {
                    routes.record(target, false);
                }
                last = e;
                if (!(e.routeFault() && e.unstarted())) {
                    break;
                }
                LOG.info("generation {}: route {} failed ({}); trying the next route", running.id(), target.id(), e.code());
            }
        }
        settleSubmitFailure(running, last);
    }

    /** A re-run of a generation whose vendor task is recorded: follow that task, never submit again. */
    private void resume(Generation current) {
        Providers.Account account;
        try {
            account = routes.accountOf(current);
        } catch (ProviderException e) {
            settlement.fail(current, e.code(), e.getMessage()); // its account is no longer configured
            return;
        }
        limits.tryAcquireTask(account.config(), current.id(), null); // the task occupies the vendor either way; count it if there is room
        Optional<Generation> started = checks.start(current);
        started.ifPresent(running -> checks.scheduleCheck(running, clock.instant()));
    }

    /** A submit that failed: retried by JobRunr (the job throws) when the failure policy says so, else refunded. */
    private void settleSubmitFailure(Generation running, ProviderException e) throws ProviderException {
        if (failures.retriesSubmit(running, e)) {
            LOG.info("generation {} attempt {} failed ({}); retrying", running.id(), running.attempts(), e.code());
            throw e;
        }
        LOG.info("generation {} failed after {} attempt(s): {} {}", running.id(), running.attempts(), e.code(), e.getMessage());
        settlement.fail(running, e.code(), e.getMessage());
    }
}
