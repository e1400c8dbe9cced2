package dev.genq.payment;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Coins per one unit of each currency genq sells coins for, from {@code genq.payments.rates}
 * (GENQ_PAYMENTS_RATES, "RUB=1,USD=95"). A top-up records the rate in force when it was created.
 */
@Singleton
public class PaymentRates {
    private final Map<String, BigDecimal> rates = new HashMap<>();

    PaymentRates(@Value("${genq.payments.rates:RUB=1,USD=95,EUR=100}") String configured) {
        for (String pair : configured.split(",")) {
            String[] parts = pair.trim().split("=");
            BigDecimal rate = parts.length == 2 ? new BigDecimal(parts[1].trim()) : BigDecimal.ZERO;
            if (rate.signum() <= 0) {
                throw new IllegalArgumentException("genq.payments.rates: '" + pair + "' is not CURRENCY=coins-per-unit");
            }
            rates.put(parts[0].trim().toUpperCase(Locale.ROOT), rate);
        }
    }

    public Optional<BigDecimal> of(String currency) {
        return Optional.ofNullable(rates.get(currency.toUpperCase(Locale.ROOT)));
    }

    public BigDecimal require(String currency) {
        return of(currency).orElseThrow(() -> new GenqException(ErrorCode.INVALID_REQUEST, "genq sells no coins for " + currency
            + "; it sells them for " + String.join(", ", rates.keySet().stream().sorted().toList())));
    }
}
