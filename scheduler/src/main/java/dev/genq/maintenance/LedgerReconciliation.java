package dev.genq.maintenance;

import dev.genq.ledger.LedgerAudit;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Checks the ledger's invariants (I1–I4) and records the result, which {@link LedgerGauge} exports
 * from the scheduler role whatever worker ran the check.
 */
@Singleton
public class LedgerReconciliation implements MaintenanceTask {
    private final LedgerAudit audit;
    private final MaintenanceConfig config;

    public LedgerReconciliation(LedgerAudit audit, MaintenanceConfig config) {
        this.audit = audit;
        this.config = config;
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
