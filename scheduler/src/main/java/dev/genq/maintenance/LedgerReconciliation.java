package dev.genq.maintenance;

import dev.genq.ledger.LedgerAudit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Checks the ledger's invariants (I1–I4) and records the result; the gauge
 * {@code genq.ledger.discrepancies} shows the last run's count on every role that is scraped, so
 * an alert on "> 0" pages someone whatever node ran the check.
 */
@Singleton
public class LedgerReconciliation implements MaintenanceTask {
    private final LedgerAudit audit;
    private final MaintenanceConfig config;

    public LedgerReconciliation(LedgerAudit audit, MaintenanceConfig config, MeterRegistry registry) {
        this.audit = audit;
        this.config = config;
        Gauge.builder("genq.ledger.discrepancies", audit, a -> a.lastRecordedDiscrepancies().orElse(0))
            .description("discrepancies found by the last ledger reconciliation (0 when the ledger balances)")
            .register(registry);
    }

    @Override
    public String name() {
        return "reconcile-ledger";
    }

    @Override
    public Duration interval() {
        return config.getReconcileInterval();
    }

    /** Returns the number of discrepancies found, and records them. */
    @Override
    public int runOnce() {
        return audit.reconcile();
    }
}
