package dev.genq.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StopSignalTest {

    @Test
    void aPauseLastsItsTimeWhileNotStopped() {
        StopSignal signal = new StopSignal();
        long start = System.nanoTime();

        boolean goOn = signal.pause(Duration.ofMillis(200));

        assertThat(goOn).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(signal.stopped()).isFalse();
    }

    @Test
    void stopEndsAPauseAtOnceWithoutInterruptingItsThread() throws Exception {
        StopSignal signal = new StopSignal();
        CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        CompletableFuture<Boolean> paused = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            paused.complete(signal.pause(Duration.ofMinutes(10)));
            interruptedAfter.complete(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(100);

        signal.stop();

        assertThat(paused.get(2, TimeUnit.SECONDS)).as("the loop is told to end").isFalse();
        assertThat(interruptedAfter.get(2, TimeUnit.SECONDS)).isFalse();
        assertThat(signal.stopped()).isTrue();
        assertThat(signal.pause(Duration.ofMinutes(10))).as("a pause after the stop ends at once").isFalse();
    }
}
