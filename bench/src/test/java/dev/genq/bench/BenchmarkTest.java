package dev.genq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark program itself, run small: every system's row in a JVM of its own on the real
 * PostgreSQL and Redis, genq's with S3, the emulator and the status-polling run. Its figures are not
 * judged here (a test JVM beside them is no benchmark); that every row ran and reported them is.
 */
class BenchmarkTest {
    private static final int JOBS = 300;

    @Test
    void aSmallRunOfEverySystemWritesEachRowWithItsFiguresAndGenqsGenerationsAllComplete(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.md");

        String table = Benchmark.run("--latencies", "0", "--jobs", Integer.toString(JOBS), "--warmup", "0", "--clients", "8",
            "--out", out.toString());

        assertThat(Files.readString(out)).isEqualTo(table);
        Map<String, Row> rows = rows(table);
        assertThat(rows).containsOnlyKeys("floor: PostgreSQL SKIP LOCKED queue", "bare JobRunr, defaults", "bare JobRunr, tuned",
            GenqEndToEnd.SUBMITS_ALONE, "genq end to end");
        rows.values().forEach(row -> {
            assertThat(row.jobs()).as(row.system()).isEqualTo(JOBS);
            assertThat(row.perSecond()).as(row.system()).isPositive();
        });
        for (String baseline : new String[] {"floor: PostgreSQL SKIP LOCKED queue", "bare JobRunr, defaults", "bare JobRunr, tuned"}) {
            assertThat(milliseconds(rows.get(baseline).details().get("CPU per job (this process (of it JIT compiling) / PostgreSQL / Redis)")))
                .as(baseline).isPositive();
        }
        Row genq = rows.get("genq end to end");
        // the ratios are of rates the table rounds to a tenth, and are rounded to a hundredth themselves
        assertThat(genq.defaultsRatio()).isCloseTo(genq.perSecond() / rows.get("bare JobRunr, defaults").perSecond(), offset(0.01));
        assertThat(genq.details()).containsEntry("failed or refused", "0");
        // Counted, not judged: a run this small batches little, so its counts say nothing of a loaded genq's.
        assertThat(Double.parseDouble(genq.details().get("SQL statements per generation"))).isPositive();
        assertThat(Double.parseDouble(genq.details().get("commits per generation"))).isPositive();
        assertThat(milliseconds(genq.details().get("CPU per generation (this process, harness included (of it JIT compiling) / PostgreSQL / Redis)")))
            .isPositive();
        assertThat(genq.details().get("status polls/s (second process, 32 connections, 10 s)")).matches("[1-9][0-9]*");
        Row submits = rows.get(GenqEndToEnd.SUBMITS_ALONE);
        assertThat(submits.details()).containsEntry("refused", "0");
        assertThat(submits.defaultsRatio()).isNaN(); // submits admitted are not completions: no ratio to JobRunr's
    }

    /** The first of the slash-separated figures, in ms: "0.16 (JIT 0.02) / 0.14 / 0.02 ms" → 0.16. */
    private static double milliseconds(String figures) {
        assertThat(figures).as("a CPU figure").isNotNull().endsWith(" ms");
        return Double.parseDouble(figures.split(" ")[0]);
    }

    record Row(String system, int jobs, double perSecond, double defaultsRatio, Map<String, String> details) {
    }

    /** The table's rows by system: | latency | system | jobs | seconds | completions/s | × tuned | × defaults | details |. */
    private static Map<String, Row> rows(String table) {
        Map<String, Row> rows = new LinkedHashMap<>();
        table.lines().filter(line -> line.matches("\\| \\d+ s \\|.*")).forEach(line -> {
            String[] cells = Arrays.stream(line.substring(1, line.length() - 1).split(" \\| ")).map(String::trim).toArray(String[]::new);
            Map<String, String> details = new LinkedHashMap<>();
            for (String figure : cells[7].split("; ")) {
                int colon = figure.indexOf(": ");
                details.put(figure.substring(0, colon), figure.substring(colon + 2));
            }
            rows.put(cells[1], new Row(cells[1], Integer.parseInt(cells[2]), Double.parseDouble(cells[4]),
                cells[6].equals("–") ? Double.NaN : Double.parseDouble(cells[6]), details));
        });
        return rows;
    }
}
