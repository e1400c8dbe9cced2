package dev.genq.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoinsTest {

    @Test
    void aPriceTimesUnitsWithinTheBoundIsExactAndBeyondItIsInvalidInput() {
        assertThat(Coins.times(10, 4)).isEqualTo(40);
        assertThat(Coins.times(Coins.MAX, 1)).isEqualTo(Coins.MAX);
        assertThatThrownBy(() -> Coins.times(Coins.MAX, 2)).isInstanceOfSatisfying(GenqException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThatThrownBy(() -> Coins.times(1L << 62, 4)).isInstanceOf(GenqException.class);
    }

    @Test
    void amountsAreBoundedBothWays() {
        assertThat(Coins.require(0, "x")).isZero();
        assertThat(Coins.require(Coins.MAX, "x")).isEqualTo(Coins.MAX);
        assertThatThrownBy(() -> Coins.require(-1, "initialCoins")).hasMessageContaining("initialCoins");
        assertThatThrownBy(() -> Coins.require(Coins.MAX + 1, "initialCoins")).isInstanceOf(GenqException.class);
    }

    @Test
    void moneyIsReadExactlyAndRoundedDownToCoins() {
        assertThat(Coins.of(Coins.money("10.5", "price_amount"), BigDecimal.valueOf(100), "price_amount")).isEqualTo(1050);
        assertThat(Coins.of(Coins.money("0.019", "amount"), BigDecimal.valueOf(100), "amount")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "-5", "1e+30", "1e999999999", "1e-999999999", "0.0000000000000000001", "NaN", "Infinity"})
    void textThatIsNoMoneyAmountIsRefusedQuickly(String text) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> Coins.money(text, "price_amount")).isInstanceOfSatisfying(GenqException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST)).hasMessageContaining("price_amount");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void anAmountWorthMoreThanTheBoundIsRefused() {
        assertThatThrownBy(() -> Coins.of(Coins.money("99999999999", "price_amount"), BigDecimal.valueOf(100), "price_amount"))
            .hasMessageContaining("worth more than");
    }
}
