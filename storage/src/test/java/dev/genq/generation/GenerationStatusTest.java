package dev.genq.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenerationStatusTest {
    /** The state machine of docs/architecture.md (invariant I5), written out independently of the code under test. */
    private static final Map<GenerationStatus, Set<GenerationStatus>> DESIGN = Map.of(
        GenerationStatus.QUEUED, Set.of(GenerationStatus.RUNNING, GenerationStatus.CANCELLED, GenerationStatus.FAILED),
        GenerationStatus.RUNNING, Set.of(GenerationStatus.SUCCEEDED, GenerationStatus.FAILED, GenerationStatus.CANCELLED),
        GenerationStatus.SUCCEEDED, Set.of(),
        GenerationStatus.FAILED, Set.of(),
        GenerationStatus.CANCELLED, Set.of());

    static Stream<Arguments> everyPair() {
        return Stream.of(GenerationStatus.values())
            .flatMap(from -> Stream.of(GenerationStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void aGenerationMovesOnlyAlongTheDesignedEdges(GenerationStatus from, GenerationStatus to) {
        Generation generation = aGeneration(from);
        Instant now = Instant.parse("2026-01-01T00:00:10Z");

        if (DESIGN.get(from).contains(to)) {
            Generation next = generation.moveTo(to, now);
            assertThat(next.status()).isEqualTo(to);
            assertThat(next.updatedAt()).isEqualTo(now);
            assertThat(next.finishedAt()).isEqualTo(to.isTerminal() ? now : null);
            assertThat(next.attempts()).isEqualTo(to == GenerationStatus.RUNNING ? 1 : 0);
        } else {
            assertThatThrownBy(() -> generation.moveTo(to, now))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.from()).isEqualTo(from);
                    assertThat(e.to()).isEqualTo(to);
                })
                .hasMessageContaining(from.name()).hasMessageContaining(to.name());
        }
    }

    /** The status changes that batch statements write for many rows go through the same rule. */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void aBatchTransitionExistsOnlyForTheDesignedEdges(GenerationStatus from, GenerationStatus to) {
        if (DESIGN.get(from).contains(to)) {
            assertThat(new Transition(from, to)).extracting(Transition::from, Transition::to).containsExactly(from, to);
        } else {
            assertThatThrownBy(() -> new Transition(from, to)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    /** No statement names the status it writes: each takes it from a checked move, so none can skip the rule above. */
    @Test
    void noStatementWritesAStatusByHand() throws IOException {
        Pattern literalWrite = Pattern.compile("(SET|,)\\s+(\\w+\\.)?status\\s*=\\s*'[A-Z]");
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            assertThat(sources.filter(p -> p.toString().endsWith(".java")))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(literalWrite.matcher(Files.readString(p)).find()).as(p.toString()).isFalse());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statuses")
    void terminalMeansNoWayOut(GenerationStatus status) {
        assertThat(status.isTerminal()).isEqualTo(DESIGN.get(status).isEmpty());
    }

    static Stream<GenerationStatus> statuses() {
        return Stream.of(GenerationStatus.values());
    }

    private static Generation aGeneration(GenerationStatus status) {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        return new Generation(UUID.randomUUID(), UUID.randomUUID(), "emu-image", "{}", 1, 10, 0, null, null, status, 0, 0,
            null, null, null, null, "[]", null, null, created, null, null, created, null, null, null, null, null);
    }
}
