package dev.genq.api.events;

import dev.genq.api.generation.GenerationResponse;
import dev.genq.api.generation.GenerationResponses;
import dev.genq.generation.GenerationView;
import dev.genq.generation.QueueEstimates;
import dev.genq.generation.StatusCache;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.FluxSink;

/**
 * One browser's event stream: an account's statuses, or one generation's. Events carry their id in
 * the account's Redis stream, so a reconnect with Last-Event-ID resumes after it; statuses heard
 * while the stream was still catching up are held back and sent after, never twice, never out of
 * order. While a generation waits, the ticks resend its status when its queue position or ETA moved.
 */
final class EventStream {
    /** Most events replayed on a resume; a client further behind is told to re-read instead ("resync"). */
    static final int MAX_REPLAY = 500;
    private final EventHub hub;
    private final StatusCache cache;
    private final QueueEstimates estimates;
    private final GenerationResponses responses;
    private final UUID accountId;
    @Nullable
    private final UUID generationId;
    private final FluxSink<Event<Object>> sink;
    /** Statuses heard before the catch-up ended. */
    private List<StatusCache.Announcement> heldBack = new ArrayList<>();
    @Nullable
    private String lastId;
    /** Waiting generations this stream showed, with the estimate it last sent for each. */
    private final Map<UUID, String> waiting = new ConcurrentHashMap<>();
    private boolean ended;

    EventStream(EventHub hub, StatusCache cache, QueueEstimates estimates, GenerationResponses responses, UUID accountId,
                @Nullable UUID generationId, FluxSink<Event<Object>> sink) {
        this.hub = hub;
        this.cache = cache;
        this.estimates = estimates;
        this.responses = responses;
        this.accountId = accountId;
        this.generationId = generationId;
        this.sink = sink;
    }

    UUID accountId() {
        return accountId;
    }

    /**
     * Starts listening, then catches up: from {@code lastEventId} when the account's stream still
     * holds what came after it, else with the generation's current status (one generation's stream)
     * or a "resync" event (an account's: re-read the history).
     */
    void start(@Nullable String lastEventId) {
        hub.open(this);
        sink.onDispose(() -> hub.close(this));
        synchronized (this) {
            if (lastEventId != null && hub.oldestId(accountId).map(oldest -> !EventIds.before(lastEventId, oldest)).orElse(false)) {
                lastId = lastEventId;
                replay();
            } else if (generationId != null) {
                lastId = hub.newestId(accountId).orElse(null);
                cache.entry(generationId).ifPresent(e -> send(lastId, cache.view(e)));
            } else {
                lastId = hub.newestId(accountId).orElse(null);
                // "resync": the stream no longer holds what came after the client's last event; "ready": the
                // stream is open (headers go out with it), and its id is where a reconnect resumes from
                Event<Object> first = Event.<Object>of(Map.of()).name(lastEventId != null ? "resync" : "ready");
                sink.next(lastId == null ? first : first.id(lastId));
            }
            List<StatusCache.Announcement> early = heldBack;
            heldBack = null;
            early.forEach(this::announced);
        }
    }

    /** A status announced on Redis, for this stream's account. */
    synchronized void announced(StatusCache.Announcement a) {
        if (heldBack != null) {
            heldBack.add(a);
            return;
        }
        if (ended || (generationId != null && !generationId.equals(a.generationId()))
            || (lastId != null && !EventIds.before(lastId, a.eventId()))) {
            return;
        }
        lastId = a.eventId();
        send(a.eventId(), cache.view(a.entry()));
    }

    /** The subscription dropped: what was announced meanwhile is in the account's stream. */
    synchronized void missedEvents() {
        if (heldBack == null && !ended) {
            replay();
        }
    }

    /** A heartbeat every so often, and a fresh status for each waiting generation whose estimate moved. */
    synchronized void tick(boolean heartbeat) {
        if (ended) {
            return;
        }
        if (heartbeat) {
            sink.next(Event.<Object>of(Map.of()).name("heartbeat"));
        }
        waiting.forEach((id, sent) -> cache.entry(id).ifPresent(entry -> {
            if (entry.active() && !GenerationResponses.estimateTag(estimates.of(id, entry)).equals(sent)) {
                send(lastId, cache.view(entry));
            }
        }));
    }

    private void replay() {
        // no last id: the account's stream held nothing when this one opened, so all it holds now is new
        List<EventHub.Stored> missed = hub.after(accountId, lastId == null ? "0-0" : lastId, MAX_REPLAY + 1);
        if (missed.size() > MAX_REPLAY) {
            lastId = hub.newestId(accountId).orElse(lastId);
            sink.next(Event.<Object>of(Map.of()).name("resync").id(lastId));
            return;
        }
        for (EventHub.Stored event : missed) {
            lastId = event.eventId();
            if (generationId == null || generationId.equals(event.generationId())) {
                send(event.eventId(), cache.view(event.json()));
            }
        }
    }

    private void send(@Nullable String eventId, GenerationView view) {
        if (ended) {
            return;
        }
        Optional<QueueEstimates.Estimate> estimate = estimates.of(view);
        if (view.status().isTerminal()) {
            waiting.remove(view.id());
        } else {
            waiting.put(view.id(), GenerationResponses.estimateTag(estimate));
        }
        GenerationResponse response = responses.of(view, estimate);
        Event<Object> event = Event.<Object>of(response).name("status");
        sink.next(eventId == null ? event : event.id(eventId));
        if (generationId != null && view.status().isTerminal()) {
            ended = true;
            sink.complete();
        }
    }
}
