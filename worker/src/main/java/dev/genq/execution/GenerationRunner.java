package dev.genq.execution;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationExecutor;
import dev.genq.generation.Generations;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderLimits;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.Providers;
import dev.genq.provider.Submission;
import dev.genq.provider.TaskState;
import dev.genq.infra.JsonText;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobRunr job's work: start one attempt of a generation at its vendor and return. Waiting on
 * the vendor happens elsewhere ({@link TaskPoller}), so a job holds a worker only for the submit.
 * Safe to run more than once: a terminal generation is skipped, a generation whose vendor task is
 * recorded is resumed rather than submitted again, and the vendor sees the generation id as its
 * idempotency key.
 */
@Singleton
public class GenerationRunner implements GenerationExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationRunner.class);

    private final Generations generations;
    private final Catalog catalog;
    private final Providers providers;
    private final TaskOutcomes outcomes;
    private final ProviderLimits limits;
    private final WorkerConfig config;
    private final JsonText json;
    private final Clock clock;

    GenerationRunner(Generations generations, Catalog catalog, Providers providers, TaskOutcomes outcomes,
                     ProviderLimits limits, WorkerConfig config, JsonText json, Clock clock) {
        this.limits = limits;
        this.generations = generations;
        this.catalog = catalog;
        this.providers = providers;
        this.outcomes = outcomes;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void execute(UUID generationId) throws Exception {
        Optional<Generation> loaded = generations.load(generationId);
        if (loaded.isEmpty()) {
            LOG.warn("generation {} does not exist; nothing to run", generationId);
            return;
        }
        Generation current = loaded.get();
        if (current.status().isTerminal()) {
            return;
        }
        Model model = catalog.model(current.model());
        Providers.Account account;
        try {
            account = providers.get(model.provider());
        } catch (ProviderException e) {
            generations.fail(current, e.code(), e.getMessage());
            return;
        }
        // Permits are taken before the attempt starts, so waiting for one never uses up attempts.
        if (!limits.tryAcquireTask(account.config(), current.id()) || !limits.tryCall(account.config())) {
            throw new PermitUnavailable(account.name());
        }
        Optional<Generation> started = generations.start(current);
        if (started.isEmpty()) {
            return; // already finished, or another run changed it first
        }
        Generation running = started.get();
        if (running.providerTaskId() != null) {
            generations.scheduleCheck(running, clock.instant()); // an earlier run started the vendor task: follow it
            return;
        }
        try {
            Submission submission = account.provider().submit(
                new ProviderRequest(running.id(), model.id(), inputsOf(running), running.units(), webhookUrl(account)));
            Instant now = clock.instant();
            Optional<Generation> recorded = generations.recordTask(running, account.name(), submission.taskId(),
                now.plus(account.config().getDeadline()), now.plus(account.config().getPollInterval()));
            // A task still running was scheduled for its first check by recordTask itself: one write, not two.
            if (recorded.isPresent() && !(submission.state() instanceof TaskState.Running)) {
                outcomes.apply(recorded.get(), account, submission.state());
            }
        } catch (ProviderException e) {
            limits.releaseTask(account.config(), running.id());
            settleSubmitFailure(running, e);
        }
    }

    /** A submit that failed: a retryable failure within the attempt budget is retried by JobRunr, anything else refunds. */
    private void settleSubmitFailure(Generation running, ProviderException e) throws ProviderException {
        if (e.retryable() && running.attempts() < config.getMaxAttempts()) {
            LOG.info("generation {} attempt {} failed ({}); retrying", running.id(), running.attempts(), e.code());
            throw e;
        }
        LOG.info("generation {} failed after {} attempt(s): {} {}", running.id(), running.attempts(), e.code(), e.getMessage());
        generations.fail(running, e.code(), e.getMessage());
    }

    /** Where this account's vendor should call back, if webhooks are set up for it. */
    private String webhookUrl(Providers.Account account) {
        String base = config.getWebhookBaseUrl();
        if (base == null || base.isBlank() || account.config().getWebhookSecret() == null) {
            return null;
        }
        return base.replaceAll("/+$", "") + "/webhooks/providers/" + account.name();
    }

    private Map<String, Object> inputsOf(Generation generation) {
        return json.readObject(generation.inputs());
    }
}
