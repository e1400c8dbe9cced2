package dev.genq.execution;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationOutput;
import dev.genq.generation.Generations;
import dev.genq.generation.GenerationExecutor;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderResult;
import dev.genq.provider.Providers;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one generation; safe to run more than once (JobRunr is at-least-once). A terminal
 * generation is skipped; the vendor sees the generation id as its idempotency key; the final write
 * is a compare-and-set paired with the ledger, so a second run can neither charge nor refund twice.
 */
@Singleton
public class GenerationRunner implements GenerationExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationRunner.class);

    private final Generations generations;
    private final Catalog catalog;
    private final Providers providers;
    private final OutputStore outputs;
    private final WorkerConfig config;
    private final JsonMapper json;

    GenerationRunner(Generations generations, Catalog catalog, Providers providers, OutputStore outputs,
                     WorkerConfig config, JsonMapper json) {
        this.generations = generations;
        this.catalog = catalog;
        this.providers = providers;
        this.outputs = outputs;
        this.config = config;
        this.json = json;
    }

    @Override
    public void execute(UUID generationId) throws Exception {
        Optional<Generation> loaded = generations.load(generationId);
        if (loaded.isEmpty()) {
            LOG.warn("generation {} does not exist; nothing to run", generationId);
            return;
        }
        Optional<Generation> started = generations.start(loaded.get());
        if (started.isEmpty()) {
            return; // already finished, or another run changed it first
        }
        Generation running = started.get();
        try {
            Model model = catalog.model(running.model());
            ProviderResult result = providers.get(model.provider()).generate(
                new ProviderRequest(running.id(), model.id(), inputsOf(running), running.units()),
                percent -> generations.progress(running, percent));
            List<GenerationOutput> stored = outputs.store(running, result.outputs());
            generations.succeed(running, stored, result.deliveredUnits());
        } catch (ProviderException e) {
            settle(running, e);
        }
    }

    /** The one place a provider failure becomes either a JobRunr retry or FAILED + refund. */
    private void settle(Generation running, ProviderException e) throws ProviderException {
        if (e.retryable() && running.attempts() < config.getMaxAttempts()) {
            LOG.info("generation {} attempt {} failed ({}); retrying", running.id(), running.attempts(), e.code());
            throw e;
        }
        LOG.info("generation {} failed after {} attempt(s): {} {}", running.id(), running.attempts(), e.code(), e.getMessage());
        generations.fail(running, e.code(), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> inputsOf(Generation generation) throws IOException {
        return json.readValue(generation.inputs(), Map.class);
    }
}
