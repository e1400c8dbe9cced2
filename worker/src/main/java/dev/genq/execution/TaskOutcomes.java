package dev.genq.execution;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.ModelKind;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationOutput;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderLimits;
import dev.genq.provider.Providers;
import dev.genq.provider.TaskRef;
import dev.genq.provider.TaskState;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where what a vendor said becomes a state and a ledger operation: a running task is
 * checked again later, a finished one is stored and captured (its delivered share), a failed one is
 * refunded (less its model's fee for that error). A task past its deadline, or whose owner asked
 * to stop it, is first cancelled at the vendor; what the vendor then says settles it the same way,
 * so nothing is refunded while the vendor may still deliver, and a vendor that cannot cancel is
 * followed to its end.
 */
@Singleton
class TaskOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(TaskOutcomes.class);
    private final TaskChecks checks;
    private final Settlement settlement;
    private final OutputStore outputs;
    private final ProviderLimits limits;
    private final Routes routes;
    private final Catalog catalog;
    private final CheckLeases leases;
    private final FailurePolicy failures;
    private final MeterRegistry metrics;
    private final Clock clock;

    TaskOutcomes(TaskChecks checks, Settlement settlement, OutputStore outputs, ProviderLimits limits, Routes routes, Catalog catalog,
                 CheckLeases leases, FailurePolicy failures, MeterRegistry metrics, Clock clock) {
        this.leases = leases;
        this.failures = failures;
        this.metrics = metrics;
        this.routes = routes;
        this.catalog = catalog;
        this.checks = checks;
        this.settlement = settlement;
        this.outputs = outputs;
        this.limits = limits;
        this.clock = clock;
    }

    void apply(Generation running, Providers.Account account, TaskState state) {
        switch (state) {
            case TaskState.Running r -> {
                limits.refreshTask(account.config(), running.id());
                checks.progress(running, r.progressPercent(), r.queuePosition());
                checkAgainLater(running, account);
            }
            case TaskState.Done done -> {
                try {
                    finish(running, account, done);
                } catch (ProviderException e) {
                    checkFailed(running, account, e);
                }
            }
            case TaskState.Failed failed -> fail(running, account, failed.error());
        }
    }

    /** Stores the outputs and captures; the check's lease is held meanwhile, however long the upload waits. */
    private void finish(Generation running, Providers.Account account, TaskState.Done done) throws ProviderException {
        try (CheckLeases.Held held = leases.hold(running)) {
            ModelKind kind = catalog.model(running.model()).kind();
            List<GenerationOutput> stored = outputs.store(running, kind, done.result().outputs());
            Integer reported = done.result().deliveredUnits();
            settlement.succeed(running, stored, reported != null ? reported : kind.deliveredUnits(running.units(), stored.size()));
            limits.releaseTask(account.config(), running.id());
        }
    }

    /** A check or a finish that failed: asked again later when the failure policy retries it, else settled. */
    void checkFailed(Generation running, Providers.Account account, ProviderException e) {
        if (failures.retriesCheck(e)) {
            LOG.info("checking generation {} failed ({}: {}); checking again later", running.id(), e.code(), e.getMessage());
            checkAgainLater(running, account);
        } else {
            fail(running, account, e);
        }
    }

    /** Whether genq should ask the vendor to stop this task now: past its deadline, or its owner asked, and not asked before. */
    boolean cancelDue(Generation running) {
        return running.vendorCancelAt() == null && (running.cancelRequestedAt() != null || running.overdue(clock.instant()));
    }

    /** Asks the vendor to stop the task, once, and returns the generation as it now reads; the vendor's answer to a check settles it. */
    Generation cancelAtVendor(Generation running, Providers.Account account, TaskRef task) {
        String reason = running.cancelRequestedAt() != null ? "owner" : "deadline";
        boolean taken = account.provider().cancel(task);
        metrics.counter("genq.vendor.cancels", "provider", account.name(), "reason", reason, "outcome", taken ? "taken" : "refused")
            .increment();
        LOG.info("generation {}: asked {} to cancel task {} ({}); the vendor {}", running.id(), account.name(), task.id(), reason,
            taken ? "took it" : "refused, so the task is followed to its end");
        return checks.vendorCancelSent(running);
    }

    /** A check that may not run now (the account's request rate is used up) just runs a moment later. */
    void rateLimited(Generation running) {
        checks.scheduleCheck(running, clock.instant().plusSeconds(1));
    }

    private void checkAgainLater(Generation running, Providers.Account account) {
        Instant now = clock.instant();
        Duration age = running.startedAt() == null ? Duration.ZERO : Duration.between(running.startedAt(), now);
        checks.scheduleCheck(running, now.plus(routes.nextCheckAfter(account, age)));
    }

    /**
     * A task the vendor ended without outputs. Cancelled at its owner's request: CANCELLED. Cancelled
     * because it ran past its deadline: FAILED {@code provider_timeout}. Anything else: FAILED with
     * the vendor's code, refunded less the model's fee for that code.
     */
    private void fail(Generation running, Providers.Account account, ProviderException e) {
        boolean cancelledByGenq = ProviderException.CANCELLED.equals(e.code()) && running.vendorCancelAt() != null;
        if (cancelledByGenq && running.cancelRequestedAt() != null) {
            LOG.info("generation {} was cancelled at the vendor as its owner asked", running.id());
            settlement.cancelled(running);
        } else if (cancelledByGenq || (ProviderException.CANCELLED.equals(e.code()) && running.overdue(clock.instant()))) {
            LOG.info("generation {} was cancelled at the vendor past its deadline", running.id());
            settlement.fail(running, "provider_timeout", "the provider did not finish in time; the coins were returned");
        } else {
            LOG.info("generation {} failed at the provider: {} {}", running.id(), e.code(), e.getMessage());
            settlement.fail(running, e.code(), e.getMessage());
        }
        limits.releaseTask(account.config(), running.id());
    }
}
