package dev.genq.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private final Catalog catalog = new Catalog(new CatalogConfig() {
        @Override
        public String getPath() {
            return null;
        }

        @Override
        public Duration getQuoteTtl() {
            return Duration.ofMinutes(5);
        }
    }, JsonMapper.createDefault());

    CatalogTest() throws IOException {
    }

    @Nested
    class Units {
        @Test
        void unitsComeFromTheModelsUnitInput() {
            assertThat(catalog.validate("emu-video", Map.of("prompt", "waves", "duration_s", 4)).units()).isEqualTo(4);
        }

        @Test
        void omittedOptionalInputsTakeTheirDefaults() {
            Validated priced = catalog.validate("emu-image", Map.of("prompt", "fox"));
            assertThat(priced.inputs()).containsEntry("n", 1).containsEntry("size", "1024x1024");
            assertThat(priced.units()).isEqualTo(1);
        }

        @Test
        void aModelWithoutUnitInputCostsOneUnit() {
            assertThat(catalog.validate("emu-text", Map.of("prompt", "hi")).units()).isEqualTo(1);
        }

        @Test
        void wholeNumbersMayArriveAsDecimalsWithoutFraction() {
            assertThat(catalog.validate("emu-image", Map.of("prompt", "x", "n", new BigDecimal("2"))).units()).isEqualTo(2);
        }
    }

    @Nested
    class Rejection {
        @Test
        void unknownModel() {
            assertCode(() -> catalog.validate("nope", Map.of()), ErrorCode.UNKNOWN_MODEL, "nope");
        }

        @Test
        void unknownInputNamesTheAllowedOnes() {
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "x", "seed", 1)), ErrorCode.INVALID_INPUT, "allowed: ");
        }

        @Test
        void missingRequiredInput() {
            assertCode(() -> catalog.validate("emu-image", Map.of("n", 1)), ErrorCode.INVALID_INPUT, "'prompt' is required");
        }

        @Test
        void outOfRangeNumbers() {
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "x", "n", 0)), ErrorCode.INVALID_INPUT, "between 1 and 4");
            assertCode(() -> catalog.validate("emu-text", Map.of("prompt", "x", "temperature", 2.5)), ErrorCode.INVALID_INPUT, "between 0 and 2");
        }

        @Test
        void wrongTypes() {
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", 7)), ErrorCode.INVALID_INPUT, "string");
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "x", "n", 1.5)), ErrorCode.INVALID_INPUT, "whole number");
        }

        @Test
        void stringsOutsideTheirSetOrLength() {
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "x", "size", "2x2")), ErrorCode.INVALID_INPUT, "one of");
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "")), ErrorCode.INVALID_INPUT, "at least 1");
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "a".repeat(2001))), ErrorCode.INVALID_INPUT, "at most 2000");
        }

        private void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code, String messagePart) {
            assertThatThrownBy(call).isInstanceOfSatisfying(GenqException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
        }
    }
}
