package dev.genq.maintenance;

import dev.genq.generation.Generation;
import dev.genq.generation.Generations;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends generations stuck past their reservation's expiry: FAILED {@code timeout}, coins back. The
 * compare-and-set on the generation makes this safe against a worker's late success: exactly one
 * of the two (post or void) wins, and a success after the expiry is refused by the ledger itself.
 */
@Singleton
public class ReservationExpiry implements MaintenanceTask {
    private static final Logger LOG = LoggerFactory.getLogger(ReservationExpiry.class);
    private final Generations generations;
    private final MaintenanceConfig config;

    public ReservationExpiry(Generations generations, MaintenanceConfig config) {
        this.generations = generations;
        this.config = config;
    }

    @Override
    public String name() {
        return "expire-reservations";
    }

    @Override
    public Duration interval() {
        return config.getExpiryInterval();
    }

    /** Fails one batch of expired generations; returns how many this run ended. */
    @Override
    public int runOnce() {
        int ended = 0;
        for (Generation g : generations.expired(config.getBatchSize())) {
            if (generations.fail(g, "timeout", "the generation did not finish in time; the coins were returned")) {
                ended++;
            }
        }
        if (ended > 0) {
            LOG.warn("ended {} generation(s) whose reservation expired", ended);
        }
        return ended;
    }
}
