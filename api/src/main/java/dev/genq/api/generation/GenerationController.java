package dev.genq.api.generation;

import dev.genq.account.Scope;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.api.idempotency.IdempotentRequests;
import dev.genq.api.limits.InFlightLimit;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.GenerationView;
import dev.genq.generation.HistoryCursor;
import dev.genq.generation.QueueEstimates;
import dev.genq.generation.StatusCache;
import dev.genq.generation.Submissions;
import dev.genq.http.ErrorResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ErrorResponses
@Controller("/v1/generations")
@ExecuteOn(TaskExecutors.BLOCKING)
class GenerationController {
    private static final int MAX_PAGE = 100;
    /** Browsers and proxies may keep a status but must ask again (with its ETag) before using it. */
    private static final String CACHE_CONTROL = "private, no-cache";
    private final Submissions submissions;
    private final GenerationResponses responses;
    private final IdempotentRequests idempotent;
    private final QueueEstimates estimates;
    private final InFlightLimit inFlight;

    GenerationController(Submissions submissions, GenerationResponses responses, IdempotentRequests idempotent, QueueEstimates estimates,
                         InFlightLimit inFlight) {
        this.estimates = estimates;
        this.inFlight = inFlight;
        this.submissions = submissions;
        this.responses = responses;
        this.idempotent = idempotent;
    }

    /**
     * Prices, reserves the coins and queues the generation: 202, or 402 insufficient_funds with
     * nothing written. With an Idempotency-Key, a retry answers the first response again.
     */
    @ApiResponse(responseCode = "202", content = @Content(mediaType = "application/json", schema = @Schema(implementation = GenerationResponse.class)))
    @Post
    @Scoped(Scope.SUBMIT)
    HttpResponse<String> submit(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                @Nullable @Header("Idempotency-Key") String idempotencyKey, @Body SubmitRequest body) {
        caller.requireActive();
        if (body.model() == null || body.model().isBlank()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'model' is required");
        }
        return idempotent.respond(caller.scope(), idempotencyKey, "POST /v1/generations", body, () -> {
            inFlight.check(caller.accountId(), caller.keyId());
            GenerationView submitted = submissions.submit(caller.accountId(), body.model(), body.inputs(), body.quoteId());
            inFlight.submitted(caller.keyId(), submitted.id(), submitted.createdAt());
            return new IdempotentRequests.Result(202, responses.of(submitted));
        });
    }

    /**
     * The status, with an ETag: a poll that sends it back in If-None-Match gets 304 and no body while
     * nothing changed. Served from Redis; PostgreSQL only when Redis lost the status.
     */
    @Get("/{id}")
    @Scoped(Scope.READ)
    HttpResponse<GenerationResponse> get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id,
                                         @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        StatusCache.Entry status = submissions.status(id, caller.accountId());
        Optional<QueueEstimates.Estimate> estimate = estimates.of(id, status);
        String etag = responses.etag(status, estimate);
        if (GenerationResponses.matches(ifNoneMatch, etag)) {
            return HttpResponse.<GenerationResponse>notModified().header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        }
        return HttpResponse.ok(responses.of(submissions.viewOf(status), estimate)).header(HttpHeaders.ETAG, etag)
            .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }

    @Get
    @Scoped(Scope.READ)
    GenerationPage list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Nullable @QueryValue String cursor,
                        @Nullable @QueryValue Integer limit) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and " + MAX_PAGE);
        }
        HistoryCursor.Page<GenerationView> page = HistoryCursor.Page.of(
            submissions.history(caller.accountId(), HistoryCursor.decode(cursor), size + 1), size, HistoryCursor::after);
        return new GenerationPage(page.rows().stream().map(responses::of).toList(), page.nextCursor());
    }

    /**
     * Cancels: a QUEUED generation ends CANCELLED and is refunded (200). A RUNNING one of a model
     * that allows it is cancelled at the vendor by its worker, which refunds what the vendor did not
     * deliver (202, with {@code cancelRequestedAt}; poll for the end). Otherwise 409 invalid_state.
     */
    @Post("/{id}/cancel")
    @Scoped(Scope.SUBMIT)
    HttpResponse<GenerationResponse> cancel(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id) {
        GenerationResponse response = responses.of(submissions.cancel(id, caller.accountId()));
        return response.status() == GenerationStatus.RUNNING ? HttpResponse.accepted().body(response) : HttpResponse.ok(response);
    }
}
