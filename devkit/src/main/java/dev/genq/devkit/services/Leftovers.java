package dev.genq.devkit.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Server processes a killed JVM left running (it had no chance to stop its children), found by the
 * pid they or genq recorded beside their data, and stopped before new ones take their ports and
 * data. A pid file naming a process that is gone, or one that is some other program, is ignored.
 */
final class Leftovers {
    private static final long STOP_SECONDS = 30;

    private Leftovers() {
    }

    /** Stops the process whose pid is the first line of {@code pidFile}, if it still runs {@code program}. */
    static void stop(Path pidFile, String program) throws IOException {
        Optional<ProcessHandle> left = recorded(pidFile)
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().contains(program)).orElse(false));
        if (left.isEmpty()) {
            return;
        }
        ProcessHandle process = left.get();
        System.out.printf("stopping the %s (pid %d) that an earlier run left running%n", program, process.pid());
        process.destroy();
        try {
            process.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            try {
                process.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                throw new IOException("the " + program + " (pid " + process.pid() + ") an earlier run left running does not stop;"
                    + " stop it by hand", stillThere);
            }
        }
    }

    /** Writes {@code process}'s pid to {@code pidFile}, for {@link #stop} after a crash. */
    static void record(Path pidFile, Process process) throws IOException {
        Files.writeString(pidFile, process.pid() + "\n");
    }

    /** The process whose pid is the first line of {@code pidFile}, if it names one that exists. */
    static Optional<ProcessHandle> recorded(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        try {
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.getFirst().trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
