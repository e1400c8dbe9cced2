package dev.genq.devkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs a few tests hand genq's output to, as a user's tools would read it (ffmpeg decodes the
 * emulators' media, promtool lints {@code /prometheus}). {@code .ci/run} installs them; on a
 * developer's machine without them those tests are skipped, saying what to install, and in CI
 * (the {@code CI} variable set) they fail instead, so a run never passes without them.
 */
public final class Tools {
    private Tools() {
    }

    /** The program's path, or the test ends here: skipped, or failed in CI. */
    public static Path require(String program, String debianPackage) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String missing = program + " is not on PATH (Debian package " + debianPackage + "; .ci/run installs it)";
        if (System.getenv("CI") != null) {
            throw new AssertionError(missing);
        }
        Assumptions.abort(missing);
        throw new IllegalStateException("unreachable");
    }
}
