package dev.genq.api.payment;

import dev.genq.account.AccountState;
import dev.genq.account.Scope;
import dev.genq.api.activity.RequestSources;
import dev.genq.api.auth.Caller;
import dev.genq.api.auth.Scoped;
import dev.genq.api.idempotency.IdempotentRequests;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.http.ErrorResponses;
import dev.genq.ledger.Coins;
import dev.genq.payment.Payment;
import dev.genq.payment.Payments;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Top-ups a user starts: genq prices them at the configured rate, creates the payment at the
 * gateway and answers the page to send the user to. Coins arrive only with the gateway's verified
 * notification; until then the top-up is pending.
 */
@ErrorResponses
@Controller("/v1/topups")
@ExecuteOn(TaskExecutors.BLOCKING)
class TopupController {
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    private final Map<String, Gateway> gateways;
    private final Payments payments;
    private final IdempotentRequests idempotent;
    private final RequestSources sources;

    TopupController(List<Gateway> gateways, Payments payments, IdempotentRequests idempotent, RequestSources sources) {
        this.gateways = gateways.stream().collect(Collectors.toMap(g -> g.profile().name(), Function.identity()));
        this.payments = payments;
        this.idempotent = idempotent;
        this.sources = sources;
    }

    /** Either amountCoins, or amount (a decimal string, at most 2 places) with an optional currency. */
    @Serdeable
    record TopupRequest(@Nullable String provider, @Nullable Long amountCoins, @Nullable String amount, @Nullable String currency,
                        @Nullable String returnUrl) {
    }

    /**
     * A top-up: {@code state} is pending, paid, partially_paid, failed or reversed; {@code status}
     * the gateway's own word and {@code providerPaymentId} its id for the payment; {@code coins} what paying {@code amount} buys at {@code coinsPerUnit}.
     */
    @Serdeable
    record TopupView(UUID id, String provider, String providerPaymentId, String state, String status, String amount, String currency, String coinsPerUnit,
                     long coins, long creditedCoins, String paymentUrl, @Nullable String returnUrl, @Nullable String reviewReason,
                     Instant createdAt, Instant updatedAt) {
        static TopupView of(Payment p) {
            return new TopupView(p.id(), p.provider(), p.paymentId(), p.state(), p.status(), money(p.amount()), p.currency(),
                p.coinsPerUnit().stripTrailingZeros().toPlainString(), p.coins(), p.creditedCoins(), p.paymentUrl(), p.returnUrl(),
                p.reviewReason(), p.createdAt(), p.updatedAt());
        }

        /** At least two decimals, and no trailing zeros beyond them. */
        private static String money(BigDecimal amount) {
            BigDecimal a = amount.stripTrailingZeros();
            return (a.scale() < 2 ? a.setScale(2) : a).toPlainString();
        }
    }

    @Serdeable
    record TopupList(List<TopupView> data) {
    }

    @ApiResponse(responseCode = "201", content = @Content(mediaType = "application/json", schema = @Schema(implementation = TopupView.class)))
    @Post
    @Scoped(Scope.SUBMIT)
    HttpResponse<String> create(HttpRequest<?> request, @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body TopupRequest body) {
        if (caller.account().accountState() == AccountState.BLOCKED) {
            throw new GenqException(ErrorCode.ACCOUNT_BLOCKED, "this account is blocked; contact support");
        }
        Gateway gateway = gateway(body.provider());
        Gateway.Profile profile = gateway.profile();
        String currency = body.currency() == null ? profile.defaultCurrency() : body.currency().trim().toUpperCase(Locale.ROOT);
        if (!profile.currencies().isEmpty() && !profile.currencies().contains(currency)) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, profile.name() + " takes " + String.join(", ", profile.currencies().stream().sorted().toList())
                + ", not " + currency);
        }
        String returnUrl = returnUrl(body.returnUrl());
        BigDecimal amount = amount(body);
        Payments.Draft draft = payments.draft(caller.accountId(), profile.name(), body.amountCoins(), amount, currency, returnUrl,
            caller.keyId());
        var source = sources.of(request);
        return idempotent.respond(caller.scope(), idempotencyKey, "POST /v1/topups", body, () -> {
            Gateway.Created created = gateway.create(new Gateway.Order(draft.id(), draft.number(), draft.amount(), draft.currency(),
                "genq top-up " + draft.coins() + " coins", returnUrl, caller.account().email(), source.ip()));
            return new IdempotentRequests.Result(201, TopupView.of(payments.created(draft, created.paymentId(), created.paymentUrl(), source)));
        });
    }

    @Get("/{id}")
    @Scoped(Scope.READ)
    TopupView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable UUID id) {
        return payments.topup(id).filter(p -> p.accountId().equals(caller.accountId())).map(TopupView::of)
            .orElseThrow(() -> GenqException.notFound("top-up " + id));
    }

    /** The account's top-ups, newest first (the last 100). */
    @Get
    @Scoped(Scope.READ)
    TopupList list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return new TopupList(payments.topups(caller.accountId(), 100).stream().map(TopupView::of).toList());
    }

    private Gateway gateway(@Nullable String provider) {
        List<String> offered = gateways.values().stream().filter(Gateway::configured).map(g -> g.profile().name()).sorted().toList();
        Gateway gateway = provider == null ? null : gateways.get(provider);
        if (gateway == null || !gateway.configured()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'provider' must be one of the gateways this genq offers: "
                + (offered.isEmpty() ? "none is configured" : String.join(", ", offered)));
        }
        return gateway;
    }

    @Nullable
    private static BigDecimal amount(TopupRequest body) {
        if ((body.amountCoins() == null) == (body.amount() == null)) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "give either 'amountCoins' or 'amount' (with 'currency')");
        }
        if (body.amountCoins() != null) {
            if (body.amountCoins() < 1 || body.amountCoins() > Coins.MAX) {
                throw new GenqException(ErrorCode.INVALID_REQUEST, "'amountCoins' must be between 1 and " + Coins.MAX);
            }
            return null;
        }
        BigDecimal amount = Coins.money(body.amount(), "amount");
        if (amount.signum() <= 0 || amount.scale() > 2 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'amount' must be above 0, at most " + MAX_AMOUNT.toPlainString()
                + ", with at most 2 decimal places");
        }
        return amount.setScale(2);
    }

    private static String returnUrl(@Nullable String url) {
        try {
            URI uri = url == null ? null : new URI(url);
            if (uri != null && url.length() <= 2000 && uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return url;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the refusal
        }
        throw new GenqException(ErrorCode.INVALID_REQUEST, "'returnUrl' must be an absolute http(s) URL of at most 2000 characters: "
            + "where the gateway sends the user back");
    }
}
