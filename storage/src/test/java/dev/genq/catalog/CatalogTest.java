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
        void textNoDatabaseCanStoreNamesItsField() {
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "fox\u0000")), ErrorCode.INVALID_INPUT, "'prompt'");
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "fox \ud800")), ErrorCode.INVALID_INPUT, "surrogate");
            assertCode(() -> catalog.validate("emu-image", Map.of("prompt", "\udc00 fox")), ErrorCode.INVALID_INPUT, "surrogate");
            assertThat(catalog.validate("emu-image", Map.of("prompt", "fox \ud83e\udd8a")).inputs()).as("a pair is a character")
                .containsEntry("prompt", "fox \ud83e\udd8a");
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

    @Nested
    class TermsOfAModel {
        private static final String ORDER = """
            {"id": "views", "kind": "order", "coinsPerUnit": 1, "unitsFrom": "quantity", "cancelAfterStart": true,
             "routes": [{"provider": "panel", "deadline": "PT72H"}],
             "failureFees": {"provider_rejected": "price", "content_policy": 3},
             "inputs": {"link": {"type": "string", "required": true},
                        "quantity": {"type": "integer", "min": 10, "max": 1000, "default": 100}}}""";

        @Test
        void aRouteDeadlineAndCancellingAfterTheStartAreReadFromTheCatalog() throws IOException {
            Model views = catalogOf(ORDER).model("views");
            assertThat(views.routes().getFirst().deadlineDuration()).isEqualTo(Duration.ofDays(3));
            assertThat(views.cancellableAfterStart()).isTrue();
            assertThat(catalog.model("emu-image").cancellableAfterStart()).as("off unless a model says so").isFalse();
        }

        @Test
        void aFailureChargesItsFeeCappedAtThePriceOrTheWholePriceAndAnyOtherCodeNothing() throws IOException {
            Model views = catalogOf(ORDER).model("views");
            assertThat(views.failureFeeCoins("content_policy", 100)).isEqualTo(3);
            assertThat(views.failureFeeCoins("content_policy", 2)).isEqualTo(2);
            assertThat(views.failureFeeCoins("provider_rejected", 250)).isEqualTo(250);
            assertThat(views.failureFeeCoins("provider_failed", 250)).isZero();
            assertThat(catalog.model("emu-image").failureFeeCoins("content_policy", 10)).as("refund all by default").isZero();
        }

        @Test
        void deadlinesReadAsConfigurationWritesThemAndNonsenseIsRefusedAtLoad() throws IOException {
            assertThat(catalogOf(ORDER.replace("PT72H", "15m")).model("views").routes().getFirst().deadlineDuration())
                .isEqualTo(Duration.ofMinutes(15));
            assertThat(catalogOf(ORDER.replace("PT72H", "3d")).model("views").routes().getFirst().deadlineDuration())
                .isEqualTo(Duration.ofDays(3));
            assertThatThrownBy(() -> catalogOf(ORDER.replace("PT72H", "soon"))).hasStackTraceContaining("positive duration");
        }

        @Test
        void aFeeOnGenqsOwnFaultOrATimeoutIsRefusedAtLoad() {
            assertThatThrownBy(() -> catalogOf(ORDER.replace("\"content_policy\": 3", "\"provider_timeout\": 3")))
                .hasStackTraceContaining("provider_timeout").hasStackTraceContaining("always refunded");
        }

        @Test
        void aFeeThatIsNeitherCoinsNorThePriceIsRefusedAtLoad() {
            assertThatThrownBy(() -> catalogOf(ORDER.replace("\"content_policy\": 3", "\"content_policy\": -1")))
                .hasStackTraceContaining("whole number of coins");
            assertThatThrownBy(() -> catalogOf(ORDER.replace("\"content_policy\": 3", "\"content_policy\": \"all\"")))
                .hasStackTraceContaining("whole number of coins");
        }

        private Catalog catalogOf(String model) throws IOException {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("genq-catalog", ".json");
            file.toFile().deleteOnExit();
            java.nio.file.Files.writeString(file, "{\"models\": [" + model + "]}");
            return new Catalog(new CatalogConfig() {
                @Override
                public String getPath() {
                    return file.toString();
                }

                @Override
                public Duration getQuoteTtl() {
                    return Duration.ofMinutes(5);
                }
            }, JsonMapper.createDefault());
        }
    }
}
