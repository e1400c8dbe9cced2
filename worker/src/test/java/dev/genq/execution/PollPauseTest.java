package dev.genq.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The poller's pause after a poll that found nothing due, on real threads and time. */
class PollPauseTest {
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration LONGEST = Duration.ofSeconds(2);
    private final PollPause pause = new PollPause(TICK, LONGEST);

    @Test
    void withNothingDueItPausesTheLongestPause() {
        pause.pollBegins();

        assertThat(timed(() -> pause.pause(null))).isBetween(LONGEST, LONGEST.plusMillis(500));
    }

    @Test
    void itEndsWhenTheNextCheckInTheDatabaseFallsDueButNeverBeforeTheTickNorAfterTheLongestPause() {
        pause.pollBegins();
        assertThat(timed(() -> pause.pause(Duration.ofMillis(600)))).isBetween(Duration.ofMillis(600), Duration.ofMillis(1_000));
        pause.pollBegins();
        assertThat(timed(() -> pause.pause(Duration.ofSeconds(-5)))).as("due already, but its row was locked: polls stay spaced")
            .isBetween(TICK, TICK.plusMillis(400));
        pause.pollBegins();
        assertThat(timed(() -> pause.pause(Duration.ofHours(1)))).isBetween(LONGEST, LONGEST.plusMillis(500));
    }

    @Test
    void aCheckThisProcessMakesDueDuringThePauseEndsItWhenItFallsDue() throws Exception {
        pause.pollBegins();
        long start = System.nanoTime();
        CompletableFuture<Duration> paused = CompletableFuture.supplyAsync(() -> timed(() -> pause.pause(null)));
        Thread.sleep(200);

        pause.dueIn(Duration.ofMillis(300));

        Duration took = paused.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofMillis(900));
        assertThat(took).isLessThan(Duration.ofMillis(900));
    }

    @Test
    void aCheckMadeDueAfterThePollBeganButBeforeThePauseStillCounts() {
        pause.pollBegins();
        pause.dueIn(Duration.ZERO); // committed while the poll's claim ran, after it looked

        assertThat(timed(() -> pause.pause(null))).as("ends at the tick").isBetween(TICK, TICK.plusMillis(400));
    }

    @Test
    void aCheckMadeDueBeforeThePollBeganIsThatPollsToClaim() {
        pause.dueIn(Duration.ZERO);
        pause.pollBegins();

        assertThat(timed(() -> pause.pause(Duration.ofMillis(700)))).isBetween(Duration.ofMillis(700), Duration.ofMillis(1_100));
    }

    @Test
    void aCheckDueAfterThePauseWouldEndChangesNothing() throws Exception {
        pause.pollBegins();
        CompletableFuture<Duration> paused = CompletableFuture.supplyAsync(() -> timed(() -> pause.pause(Duration.ofMillis(600))));
        Thread.sleep(100);

        pause.dueIn(Duration.ofSeconds(30));

        assertThat(paused.get(5, TimeUnit.SECONDS)).isBetween(Duration.ofMillis(600), Duration.ofMillis(1_000));
    }

    @Test
    void stopEndsAPauseAtOnceAndEveryLaterOne() throws Exception {
        pause.pollBegins();
        CompletableFuture<Boolean> paused = CompletableFuture.supplyAsync(() -> pause.pause(Duration.ofMinutes(10)));
        Thread.sleep(100);

        pause.stop();

        assertThat(paused.get(1, TimeUnit.SECONDS)).as("the loop is told to end").isFalse();
        assertThat(pause.pause(null)).isFalse();
    }

    private interface Pause {
        boolean run();
    }

    private static Duration timed(Pause pause) {
        long start = System.nanoTime();
        assertThat(pause.run()).as("not stopped").isTrue();
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
