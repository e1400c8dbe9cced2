package dev.genq.api.admin;

import dev.genq.api.auth.AdminAccess;
import dev.genq.generation.GenerationSearch;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.WorkInFlight;
import dev.genq.http.ErrorResponses;
import dev.genq.ledger.LedgerAudit;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator looks at first (the admin console's front page): the queue by model, what runs,
 * vendor tasks in flight by provider account, overdue tasks, and the ledger's discrepancies, read
 * now. The JobRunr dashboard shows only the short dispatch jobs; the vendor waits are here.
 */
@ErrorResponses
@Controller("/admin/v1/overview")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminOverviewController {
    private final WorkInFlight work;
    private final GenerationSearch search;
    private final LedgerAudit audit;
    private final Clock clock;

    AdminOverviewController(WorkInFlight work, GenerationSearch search, LedgerAudit audit, Clock clock) {
        this.work = work;
        this.search = search;
        this.audit = audit;
        this.clock = clock;
    }

    @Serdeable
    record Overview(Map<String, Long> queuedByModel, Map<String, Long> runningByModel, Map<String, Long> vendorTasksByProvider,
                    @Nullable Instant oldestQueuedAt, long overdue, List<String> ledgerDiscrepancies, Instant at) {
    }

    @Get
    @AdminAccess(AdminRole.SUPPORT)
    Overview overview() {
        Map<String, Long> queued = new TreeMap<>();
        Map<String, Long> running = new TreeMap<>();
        Map<String, Long> atVendor = new TreeMap<>();
        Instant oldest = null;
        for (WorkInFlight.Group g : work.groups()) {
            if (g.status() == GenerationStatus.QUEUED) {
                queued.merge(g.model(), g.count(), Long::sum);
                oldest = oldest == null || g.oldestCreatedAt().isBefore(oldest) ? g.oldestCreatedAt() : oldest;
            } else {
                running.merge(g.model(), g.count(), Long::sum);
                if (g.atVendor()) {
                    atVendor.merge(g.provider(), g.count(), Long::sum);
                }
            }
        }
        Instant now = clock.instant();
        return new Overview(queued, running, atVendor, oldest, search.overdueCount(now), audit.discrepancies(), now);
    }
}
