package dev.genq.scheduler;

import dev.genq.ledger.LedgerAudit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * {@code genq.ledger.discrepancies}: what the last recorded reconciliation found (0 when the ledger
 * balances). Exported by the scheduler role, read from PostgreSQL at each scrape, so an alert on
 * "> 0" fires whichever worker ran the check.
 */
@Context
class LedgerGauge {
    LedgerGauge(LedgerAudit audit, MeterRegistry registry) {
        Gauge.builder("genq.ledger.discrepancies", audit, a -> a.lastRecordedDiscrepancies().orElse(0))
            .register(registry);
    }
}
