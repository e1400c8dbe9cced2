package dev.genq.api.payment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Against answers computed independently with Node.js, the runtime NOWPayments signs with. */
class JsSortedJsonTest {

    @Test
    void sortsKeysAtEveryDepthAndWritesNumbersAsJavaScriptDoes() throws Exception {
        String raw = "{\"payment_status\":\"finished\",\"payment_id\":5077125051,\"price_amount\":10.5,\"order_id\":\"acct\","
            + "\"pay_amount\":0.00031,\"actually_paid\":0.00031,\"pay_currency\":\"btc\",\"price_currency\":\"usd\","
            + "\"fee\":{\"depositFee\":0,\"currency\":\"btc\",\"serviceFee\":0.000004},\"amount_total\":1.0}";

        assertThat(JsSortedJson.of(raw)).isEqualTo("{\"actually_paid\":0.00031,\"amount_total\":1,"
            + "\"fee\":{\"currency\":\"btc\",\"depositFee\":0,\"serviceFee\":0.000004},\"order_id\":\"acct\",\"pay_amount\":0.00031,"
            + "\"pay_currency\":\"btc\",\"payment_id\":5077125051,\"payment_status\":\"finished\",\"price_amount\":10.5,\"price_currency\":\"usd\"}");
    }

    @ParameterizedTest
    @CsvSource({"1e21, 1e+21", "1e-7, 1e-7", "123.456, 123.456", "-0.5, -0.5", "100, 100", "0.000001, 0.000001",
        "1.5e-10, 1.5e-10", "12345678901234567890, 12345678901234567000"})
    void numbersPrintLikeNumberToString(double value, String expected) {
        assertThat(JsSortedJson.jsNumber(value)).isEqualTo(expected);
    }
}
