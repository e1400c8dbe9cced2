package dev.genq.api.events;

import dev.genq.account.Scope;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.api.generation.GenerationResponses;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.QueueEstimates;
import dev.genq.generation.StatusCache;
import dev.genq.generation.Submissions;
import dev.genq.http.ErrorResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.UUID;
import org.reactivestreams.Publisher;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

/**
 * Statuses as server-sent events ({@code event: status}, the same JSON as a status read, with the
 * event's id), {@code event: heartbeat} every 15 s; an account's stream opens with {@code event: ready}
 * (or {@code event: resync} when a resume came too late).
 * A browser token may come as {@code ?access_token=}, since EventSource sends no headers.
 */
@ErrorResponses
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class EventController {
    /** Open event streams per account on one node: a tab or two per user of a customer's site, with room. */
    static final int MAX_PER_ACCOUNT = 100;
    /** Events a slow client may fall behind by before its stream is closed (it resumes with Last-Event-ID). */
    private static final int BUFFER = 256;
    private final EventHub hub;
    private final StatusCache cache;
    private final QueueEstimates estimates;
    private final GenerationResponses responses;
    private final Submissions submissions;

    EventController(EventHub hub, StatusCache cache, QueueEstimates estimates, GenerationResponses responses, Submissions submissions) {
        this.hub = hub;
        this.cache = cache;
        this.estimates = estimates;
        this.responses = responses;
        this.submissions = submissions;
    }

    /**
     * One generation's statuses until it ends; the stream closes after the last. A reconnect (with
     * Last-Event-ID) to a generation that has ended is answered 204, which tells EventSource to stop.
     */
    @Get(value = "/generations/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Scoped(value = Scope.READ, tokenInQuery = true)
    HttpResponse<Publisher<Event<Object>>> generation(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id,
                                                      @Nullable @Header("Last-Event-ID") String lastEventId) {
        StatusCache.Entry status = submissions.status(id, caller.accountId()); // 404 unless the caller's
        if (!status.active() && lastEventId != null) {
            return HttpResponse.noContent();
        }
        return HttpResponse.ok(stream(caller, id, lastEventId));
    }

    /** Every status of the account's generations as it changes, from now or after Last-Event-ID. */
    @Get(value = "/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Scoped(value = Scope.READ, tokenInQuery = true)
    HttpResponse<Publisher<Event<Object>>> account(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                   @Nullable @Header("Last-Event-ID") String lastEventId) {
        return HttpResponse.ok(stream(caller, null, lastEventId));
    }

    private Publisher<Event<Object>> stream(Caller caller, @Nullable UUID generationId, @Nullable String lastEventId) {
        if (hub.openFor(caller.accountId()) >= MAX_PER_ACCOUNT) {
            throw new GenqException(ErrorCode.RATE_LIMITED, "this account has " + MAX_PER_ACCOUNT
                + " event streams open on this node; close one, or poll").retryAfter(java.time.Duration.ofSeconds(5));
        }
        String resumeFrom = EventIds.valid(lastEventId) ? lastEventId : null;
        return Flux.<Event<Object>>create(sink -> new EventStream(hub, cache, estimates, responses, caller.accountId(), generationId, sink)
                .start(resumeFrom))
            .onBackpressureBuffer(BUFFER, BufferOverflowStrategy.ERROR);
    }
}
