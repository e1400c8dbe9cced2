package dev.genq.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** podman as the cluster tests use it: its Docker API for Testcontainers, and genq's images built without a registry. */
final class Podman implements AutoCloseable {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("genq.version", "0.1.0-SNAPSHOT");
    private static final Path CONF = REPO.resolve("server/container/containers.conf");
    private final Process service;

    private Podman(Process service) {
        this.service = service;
    }

    /** Serves podman's Docker API on the socket DOCKER_HOST names, unless something already does, and builds the images. */
    static Podman start() throws Exception {
        Tools.require("podman", "podman");
        String host = System.getenv("DOCKER_HOST");
        assertThat(host).as("the surefire execution of the cluster tests sets DOCKER_HOST").startsWith("unix://");
        Path socket = Path.of(host.substring("unix://".length()));
        Process service = null;
        if (!Files.exists(socket) || run("info") != 0) {
            Files.deleteIfExists(socket);
            ProcessBuilder pb = new ProcessBuilder("podman", "system", "service", "--time=0", host)
                .redirectErrorStream(true).redirectOutput(socket.resolveSibling("podman-service.log").toFile());
            pb.environment().put("CONTAINERS_CONF", CONF.toString());
            service = pb.start();
            Instant until = Instant.now().plusSeconds(20);
            while (!Files.exists(socket)) {
                assertThat(Instant.now()).as("podman serves its API on %s", socket).isBefore(until);
                Thread.sleep(100);
            }
        }
        buildImages();
        return new Podman(service);
    }

    /**
     * The genq image, built from this build's jars every time (a few seconds on a cached base), and
     * the services image, built when this machine has not got it yet.
     */
    private static void buildImages() throws Exception {
        for (String[] image : new String[][] {{"genq", ""}, {"genq-services", "services"}}) {
            if (image[0].equals("genq") || run("image", "exists", "localhost/" + image[0] + ":" + VERSION) != 0) {
                ProcessBuilder build = new ProcessBuilder(REPO.resolve("server/container/build.sh").toString(), image[1])
                    .redirectErrorStream(true).inheritIO();
                build.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process p = build.start();
                assertThat(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0).as("build of %s", image[0]).isTrue();
            }
        }
    }

    static int run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CONTAINERS_CONF", CONF.toString());
        Process p = pb.start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Override
    public void close() {
        if (service != null) {
            service.destroy();
        }
    }
}
