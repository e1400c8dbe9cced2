package dev.genq.api.quote;

import dev.genq.account.Scope;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.catalog.Quote;
import dev.genq.catalog.Quotes;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.infra.JsonText;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

@ErrorResponses
@Controller("/v1/quotes")
@ExecuteOn(TaskExecutors.BLOCKING)
class QuoteController {
    private final Quotes quotes;
    private final JsonText json;

    QuoteController(Quotes quotes, JsonText json) {
        this.quotes = quotes;
        this.json = json;
    }

    @Serdeable
    record QuoteRequest(@io.micronaut.core.annotation.Nullable String model, @io.micronaut.core.annotation.Nullable Map<String, Object> inputs) {
    }

    @Serdeable
    record QuoteResponse(UUID id, String model, Map<String, Object> inputs, int units, long priceCoins, int priceVersion,
                         Instant expiresAt) {
    }

    @Post
    @Scoped(Scope.SUBMIT)
    @Status(HttpStatus.CREATED)
    HttpResponse<QuoteResponse> quote(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body QuoteRequest body) {
        caller.requireActive();
        if (body.model() == null || body.model().isBlank()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'model' is required");
        }
        Quote quote = quotes.give(caller.accountId(), body.model(), body.inputs());
        return HttpResponse.created(new QuoteResponse(quote.id(), quote.model(), json.readObject(quote.inputs()),
            quote.units(), quote.priceCoins(), quote.priceVersion(), quote.expiresAt()));
    }
}
