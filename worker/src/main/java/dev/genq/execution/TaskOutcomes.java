package dev.genq.execution;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.ModelKind;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationOutput;
import dev.genq.generation.Generations;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderLimits;
import dev.genq.provider.Providers;
import dev.genq.provider.TaskRef;
import dev.genq.provider.TaskState;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where what a vendor said becomes a state and a ledger operation: a running task is
 * checked again later, a finished one is stored and captured, a failed one is refunded, a task
 * past its deadline is cancelled at the vendor and refunded.
 */
@Singleton
class TaskOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(TaskOutcomes.class);
    private final Generations generations;
    private final OutputStore outputs;
    private final ProviderLimits limits;
    private final Routes routes;
    private final Catalog catalog;
    private final CheckLeases leases;
    private final Clock clock;

    TaskOutcomes(Generations generations, OutputStore outputs, ProviderLimits limits, Routes routes, Catalog catalog,
                 CheckLeases leases, Clock clock) {
        this.leases = leases;
        this.routes = routes;
        this.catalog = catalog;
        this.generations = generations;
        this.outputs = outputs;
        this.limits = limits;
        this.clock = clock;
    }

    void apply(Generation running, Providers.Account account, TaskState state) {
        switch (state) {
            case TaskState.Running r -> {
                limits.refreshTask(account.config(), running.id());
                generations.progress(running, r.progressPercent());
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
            generations.succeed(running, stored, reported != null ? reported : kind.deliveredUnits(running.units(), stored.size()));
            limits.releaseTask(account.config(), running.id());
        }
    }

    /** A check or a finish that failed: retryable means ask again later, permanent means refund. */
    void checkFailed(Generation running, Providers.Account account, ProviderException e) {
        if (e.retryable()) {
            LOG.info("checking generation {} failed ({}: {}); checking again later", running.id(), e.code(), e.getMessage());
            checkAgainLater(running, account);
        } else {
            fail(running, account, e);
        }
    }

    void pastDeadline(Generation running, Providers.Account account, TaskRef task) {
        account.provider().cancel(task);
        generations.fail(running, "provider_timeout", "the provider did not finish in time; the coins were returned");
        limits.releaseTask(account.config(), running.id());
    }

    /** A check that may not run now (the account's request rate is used up) just runs a moment later. */
    void rateLimited(Generation running) {
        generations.scheduleCheck(running, clock.instant().plusSeconds(1));
    }

    private void checkAgainLater(Generation running, Providers.Account account) {
        Instant now = clock.instant();
        Duration age = running.startedAt() == null ? Duration.ZERO : Duration.between(running.startedAt(), now);
        generations.scheduleCheck(running, now.plus(routes.nextCheckAfter(account, age)));
    }

    private void fail(Generation running, Providers.Account account, ProviderException e) {
        LOG.info("generation {} failed at the provider: {} {}", running.id(), e.code(), e.getMessage());
        generations.fail(running, e.code(), e.getMessage());
        limits.releaseTask(account.config(), running.id());
    }
}
