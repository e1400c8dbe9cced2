package dev.genq.api.admin;

import dev.genq.api.auth.AdminAccess;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationSearch;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.HistoryCursor;
import dev.genq.http.ErrorResponses;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Generations for operators, whatever their account: {@code GET /admin/v1/generations} pages them
 * newest first, filtered by {@code status}, {@code account} and {@code overdue=true} (running vendor
 * tasks past their deadline: being cancelled, or followed to their end because the vendor cannot
 * cancel); {@code GET /admin/v1/generations/{id}} shows one. Each shows its vendor task and what it
 * reserved, charged and refunded.
 */
@ErrorResponses
@Controller("/admin/v1/generations")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminGenerationController {
    private static final int MAX_PAGE = 500;
    private final GenerationSearch search;
    private final Clock clock;

    AdminGenerationController(GenerationSearch search, Clock clock) {
        this.search = search;
        this.clock = clock;
    }

    @Serdeable
    record AdminGeneration(UUID id, UUID accountId, String model, GenerationStatus status, int progress, int units,
                           long priceCoins, @Nullable Long chargedCoins, @Nullable Long refundedCoins,
                           @Nullable Integer deliveredUnits, int attempts, @Nullable String provider,
                           @Nullable String providerTaskId, @Nullable Instant providerDeadlineAt, boolean overdue,
                           @Nullable Instant cancelRequestedAt, @Nullable Instant vendorCancelAt, @Nullable String errorCode,
                           @Nullable String errorMessage, Instant createdAt, @Nullable Instant startedAt,
                           @Nullable Instant finishedAt) {
    }

    @Serdeable
    record AdminGenerationPage(List<AdminGeneration> data, @Nullable String nextCursor) {
    }

    @Get
    @AdminAccess(AdminRole.SUPPORT)
    AdminGenerationPage search(@Nullable @QueryValue String status, @Nullable @QueryValue String account,
                               @Nullable @QueryValue String overdue, @Nullable @QueryValue String cursor,
                               @Nullable @QueryValue Integer limit) {
        GenerationStatus wanted = status == null ? null : statusOf(status);
        boolean overdueOnly = flag(overdue);
        if (overdueOnly && wanted != null && wanted != GenerationStatus.RUNNING) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "overdue generations are RUNNING; drop 'status' or ask for RUNNING");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and " + MAX_PAGE);
        }
        HistoryCursor.Page<Generation> page = HistoryCursor.Page.of(search.search(wanted,
            account == null ? null : uuid(account, "account"), overdueOnly, HistoryCursor.decode(cursor), size + 1), size,
            g -> new HistoryCursor(g.createdAt(), g.id()));
        return new AdminGenerationPage(page.rows().stream().map(this::view).toList(), page.nextCursor());
    }

    @Get("/{id}")
    @AdminAccess(AdminRole.SUPPORT)
    AdminGeneration get(@PathVariable String id) {
        return view(search.find(uuid(id, "id")).orElseThrow(() -> GenqException.notFound("generation " + id)));
    }

    private AdminGeneration view(Generation g) {
        Long refunded = g.chargedCoins() == null ? null : g.priceCoins() - g.chargedCoins();
        return new AdminGeneration(g.id(), g.accountId(), g.model(), g.status(), g.progress(), g.units(), g.priceCoins(),
            g.chargedCoins(), refunded, g.deliveredUnits(), g.attempts(), g.provider(), g.providerTaskId(), g.providerDeadlineAt(),
            g.overdue(clock.instant()), g.cancelRequestedAt(), g.vendorCancelAt(), g.errorCode(), g.errorMessage(), g.createdAt(),
            g.startedAt(), g.finishedAt());
    }

    private static GenerationStatus statusOf(String value) {
        try {
            return GenerationStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'status' must be one of " + Arrays.toString(GenerationStatus.values()));
        }
    }

    private static boolean flag(@Nullable String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new GenqException(ErrorCode.INVALID_REQUEST, "'overdue' must be true or false");
    }

    private static UUID uuid(String value, String name) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + name + "' must be a UUID");
        }
    }
}
