package dev.genq.api.payment;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.math.BigDecimal;

/** Payment providers; a provider without its secret is off and its webhook answers 404. */
public interface PaymentsConfig {

    @ConfigurationProperties("genq.payments.nowpayments")
    interface NowPayments {

        /** The IPN secret from the NOWPayments dashboard (GENQ_NOWPAYMENTS_IPN_SECRET). Unset turns the webhook off. */
        @Nullable
        String getIpnSecret();

        /** Coins per one unit of the price currency (e.g. per USD). Default 100. */
        @Bindable(defaultValue = "100")
        BigDecimal getCoinsPerUnit();
    }

    @ConfigurationProperties("genq.payments.yookassa")
    interface YooKassa {

        /** YooKassa API base URL. Default https://api.yookassa.ru; tests point it at the emulator. */
        @Bindable(defaultValue = "https://api.yookassa.ru")
        String getBaseUrl();

        /** Shop id, the basic-auth user for re-fetching payments. Unset turns the webhook off. */
        @Nullable
        String getShopId();

        /** Secret key, the basic-auth password (GENQ_YOOKASSA_SECRET_KEY). */
        @Nullable
        String getSecretKey();

        /** Coins per one unit of the payment currency (e.g. per RUB). Default 1. */
        @Bindable(defaultValue = "1")
        BigDecimal getCoinsPerUnit();
    }
}
