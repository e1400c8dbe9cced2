package dev.genq.api.payment;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Payment gateways. A gateway without its credentials is off: it starts no top-up and its
 * notification endpoint answers 404. Exchange rates are {@code genq.payments.rates}.
 */
public interface PaymentsConfig {

    @ConfigurationProperties("genq.payments")
    interface Common {

        /**
         * genq's public base URL (https://genq.example.com), sent to gateways that take a notification
         * URL per payment (NOWPayments, Lava). Unset: set the URL in the gateway's dashboard instead.
         */
        @Nullable
        String getNotifyBaseUrl();
    }

    @ConfigurationProperties("genq.payments.yookassa")
    interface YooKassa {

        /** API base URL. Default https://api.yookassa.ru; tests point it at the emulator. */
        @Bindable(defaultValue = "https://api.yookassa.ru")
        String getBaseUrl();

        /** Shop id: the basic-auth user (GENQ_PAYMENTS_YOOKASSA_SHOP_ID). */
        @Nullable
        String getShopId();

        /** Secret key: the basic-auth password (GENQ_PAYMENTS_YOOKASSA_SECRET_KEY). */
        @Nullable
        String getSecretKey();
    }

    @ConfigurationProperties("genq.payments.nowpayments")
    interface NowPayments {

        @Bindable(defaultValue = "https://api.nowpayments.io")
        String getBaseUrl();

        /** API key for creating invoices (x-api-key). */
        @Nullable
        String getApiKey();

        /** IPN secret from the dashboard: the HMAC-SHA512 key of notifications. */
        @Nullable
        String getIpnSecret();

        /** Price currency when a top-up names none. Default USD. */
        @Bindable(defaultValue = "USD")
        String getCurrency();
    }

    @ConfigurationProperties("genq.payments.lava")
    interface Lava {

        @Bindable(defaultValue = "https://api.lava.ru")
        String getBaseUrl();

        /** The project's shop id (a UUID). */
        @Nullable
        String getShopId();

        /** Secret key: signs invoice requests (HMAC-SHA256 in the Signature header). */
        @Nullable
        String getSecretKey();

        /** Additional key: what Lava signs its webhooks with (HMAC-SHA256 in the Authorization header). */
        @Nullable
        String getAdditionalKey();

        /** Minutes an invoice stays payable. Default 300. */
        @Bindable(defaultValue = "300")
        int getExpireMinutes();
    }

    @ConfigurationProperties("genq.payments.robokassa")
    interface Robokassa {

        @Bindable(defaultValue = "https://auth.robokassa.ru")
        String getBaseUrl();

        @Nullable
        String getMerchantLogin();

        /** Password #1: signs payment requests. */
        @Nullable
        String getPassword1();

        /** Password #2: what Robokassa signs ResultURL notifications with. */
        @Nullable
        String getPassword2();

        /** The hash the shop's technical settings name: MD5 (default), SHA-256, SHA-384 or SHA-512. */
        @Bindable(defaultValue = "MD5")
        String getHashAlgorithm();

        /** Sends IsTest=1: Robokassa's test mode. */
        @Bindable(defaultValue = "false")
        boolean isTest();
    }

    @ConfigurationProperties("genq.payments.freekassa")
    interface FreeKassa {

        @Bindable(defaultValue = "https://api.fk.life")
        String getBaseUrl();

        /** The shop's numeric id. */
        @Nullable
        String getShopId();

        /** API key: signs API requests (HMAC-SHA256 over the sorted field values). */
        @Nullable
        String getApiKey();

        /** Secret word 2: what notifications are signed with (MD5). */
        @Nullable
        String getSecret2();

        /** The payment method id (i) orders are created for. Default 36 (bank cards, RUB). */
        @Bindable(defaultValue = "36")
        int getPaymentMethod();

        /** Domain of the placeholder e-mail sent for accounts with no contact e-mail (Free-Kassa requires one). */
        @Bindable(defaultValue = "customers.genq.invalid")
        String getPlaceholderEmailDomain();
    }
}
