package dev.genq.maintenance;

import dev.genq.generation.Generation;
import dev.genq.generation.GenerationSearch;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.Settlement;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at generations whose reservation passed its expiry. One still waiting (QUEUED, or RUNNING
 * with no vendor task recorded) ends FAILED {@code timeout}, coins back: the compare-and-set on the
 * generation makes this safe against a worker starting it that moment. One whose vendor task runs
 * takes the provider deadline's path and is never refunded here, as the vendor may still deliver:
 * its hold is extended and its check made due, and the worker cancels it at the vendor and settles
 * from the vendor's answer ({@link Settlement#holdForVendor}).
 */
@Singleton
public class ReservationExpiry implements MaintenanceTask {
    private static final Logger LOG = LoggerFactory.getLogger(ReservationExpiry.class);
    private final GenerationSearch search;
    private final Settlement settlement;
    private final MaintenanceConfig config;
    private final Clock clock;

    public ReservationExpiry(GenerationSearch search, Settlement settlement, MaintenanceConfig config, Clock clock) {
        this.search = search;
        this.settlement = settlement;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "expire-reservations";
    }

    @Override
    public Duration interval() {
        return config.getExpiryInterval();
    }

    /** Settles one batch of expired reservations; returns how many it ended or held for their vendor. */
    @Override
    public int runOnce() {
        int ended = 0;
        int held = 0;
        for (Generation g : search.expired(clock.instant(), config.getBatchSize())) {
            if (g.status() == GenerationStatus.RUNNING && g.providerTaskId() != null) {
                held += settlement.holdForVendor(g) ? 1 : 0;
            } else if (settlement.fail(g, "timeout", "the generation did not start in time; the coins were returned")) {
                ended++;
            }
        }
        if (ended > 0) {
            LOG.warn("ended {} generation(s) whose reservation expired before their vendor task started", ended);
        }
        if (held > 0) {
            LOG.warn("{} vendor task(s) outlived their reservation; held for their vendor's answer", held);
        }
        return ended + held;
    }
}
