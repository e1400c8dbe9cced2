package dev.genq.generation;

import dev.genq.infra.JsonText;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Turns committed generations into the views frontends read, and publishes them to Redis. */
@Singleton
class StatusPublisher {
    private final StatusCache cache;
    private final JsonText json;

    StatusPublisher(StatusCache cache, JsonText json) {
        this.cache = cache;
        this.json = json;
    }

    GenerationView publish(Generation generation) {
        GenerationView view = view(generation);
        cache.put(view);
        return view;
    }

    /** One pipeline to Redis for all of them. */
    void publishAll(Collection<Generation> generations) {
        cache.putAll(generations.stream().map(this::view).toList());
    }

    void publish(GenerationView view) {
        cache.put(view);
    }

    GenerationView view(Generation g) {
        return view(g, json.readObject(g.inputs()));
    }

    /** {@link #view(Generation)} for a caller that holds the inputs already (a submit): they are not read back from the row's JSON. */
    GenerationView view(Generation g, Map<String, Object> inputs) {
        return new GenerationView(g.id(), g.accountId(), g.model(), g.status(), g.progress(), g.units(), g.priceCoins(),
            g.attempts(), List.of(json.read(g.outputs(), GenerationOutput[].class)), g.errorCode(), g.errorMessage(),
            g.createdAt(), g.startedAt(), g.finishedAt(), g.chargedCoins(), g.deliveredUnits(), g.cancelRequestedAt(), inputs, null, g.outputsExpiredAt());
    }
}
