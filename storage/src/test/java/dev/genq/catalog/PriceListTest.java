package dev.genq.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.error.GenqException;
import dev.genq.support.StorageContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The versioned price list on real PostgreSQL. */
class PriceListTest {
    private final PriceList prices = StorageContext.get().getBean(PriceList.class);
    private final Catalog catalog = StorageContext.get().getBean(Catalog.class);

    @Test
    void concurrentChangesGetDistinctVersionsOrAClearRefusal() throws Exception {
        Model model = catalog.model("emu-voice");
        int before = prices.current(model).version();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long coins = 2 + i;
                futures.add(pool.submit(() -> {
                    try {
                        prices.change(model, coins, true, "test", "concurrent");
                        outcomes.merge("changed", 1, Integer::sum);
                    } catch (GenqException e) {
                        outcomes.merge(e.code().wire(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }

        assertThat(outcomes.keySet()).isSubsetOf("changed", "invalid_state");
        assertThat(prices.current(model).version()).isEqualTo(before + outcomes.get("changed"));
        prices.change(model, model.coinsPerUnit(), true, "test", "restore");
    }

    @Test
    void aPriceIsCoinsPerUnitTimesUnitsAtTheVersionInForce() {
        Model model = catalog.model("emu-video");
        Priced priced = prices.price(catalog.validate("emu-video", Map.of("prompt", "waves", "duration_s", 4)));
        assertThat(priced.priceCoins()).isEqualTo(4 * prices.current(model).coinsPerUnit());
        assertThat(priced.priceVersion()).isEqualTo(prices.current(model).version());
    }
}
