package dev.genq.devkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.Tools;
import dev.genq.devkit.emulator.FalEmulator;
import dev.genq.devkit.emulator.ReplicateEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Replicate's and fal's official JavaScript clients, at the versions pinned in
 * {@code src/test/node/package.json}, against genq's emulators of those vendors: the scripts next to
 * it drive each through the calls an integrator makes and the faults the emulator offers, and fail
 * on any answer the client or its types would not take from the real vendor. The packages are
 * installed with {@code npm ci} when missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeClientsTest {
    private static final Path SCRIPTS = Path.of("src", "test", "node");
    private static final String KEY = "conformance-key";
    private Path node;

    @BeforeAll
    void installTheClients() throws Exception {
        node = Tools.require("node", "nodejs");
        Path npm = Tools.require("npm", "npm");
        Path installed = SCRIPTS.resolve("node_modules").resolve(".package-lock.json");
        if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(SCRIPTS.resolve("package-lock.json"))) < 0) {
            Run install = run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of());
            assertThat(install.exit()).as("npm ci: %s", install.output()).isZero();
        }
    }

    @Test
    void replicatesClientTakesEveryAnswerOfTheEmulator() throws Exception {
        String secret = ReplicateEmulator.newWebhookSecret();
        String version = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";
        String throttled = UUID.randomUUID().toString();
        try (ReplicateEmulator emulator = new ReplicateEmulator(0, 100)) {
            emulator.acceptKey(KEY);
            emulator.webhookSecret(KEY, secret);
            emulator.version(version, "acme/pinned-model");

            Run run = script("replicate.mjs", Map.of("BASE_URL", emulator.baseUrl(), "WEBHOOK_SECRET", secret, "VERSION_ID", version,
                "VERSION_MODEL", "acme/pinned-model", "THROTTLE_MARKER", throttled));

            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).doesNotContain("FAIL").contains("ok ");
            assertThat(emulator.submits("throttle " + throttled + " [throttle=1]")).as("the 429 was retried").isEqualTo(2);
        }
    }

    @Test
    void falsClientTakesEveryAnswerOfTheEmulator() throws Exception {
        String throttled = UUID.randomUUID().toString();
        try (FalEmulator emulator = new FalEmulator(0, 100).serve("fal-ai/flux/dev")) {
            emulator.acceptKey(KEY);

            Run run = script("fal.mjs", Map.of("BASE_URL", emulator.baseUrl(), "THROTTLE_MARKER", throttled));

            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).doesNotContain("FAIL").contains("ok ");
            assertThat(emulator.submits("throttle " + throttled + " [throttle=1]")).as("the 429 was retried").isEqualTo(2);
        }
    }

    private record Run(int exit, String output) {
    }

    private Run script(String name, Map<String, String> env) throws IOException, InterruptedException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("KEY", KEY);
        return run(List.of(node.toString(), name), all);
    }

    private static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(SCRIPTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
