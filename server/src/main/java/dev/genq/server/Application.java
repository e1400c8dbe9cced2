package dev.genq.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import sun.misc.Signal;

/** Starts genq with the roles in GENQ_ROLES (comma-separated; default all three, the all-in-one mode). */
public final class Application {
    public static final Set<String> ALL_ROLES = Set.of("api", "worker", "scheduler");

    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = start(roles(System.getenv("GENQ_ROLES")), Map.of(), args);
        // A stop (SIGTERM) drains the roles (see the graceful-shutdown settings) and exits 0: the node
        // was told to go and went. The JVM's own handling would exit 143, as if killed.
        Signal.handle(new Signal("TERM"), signal -> Thread.ofPlatform().name("genq-stop").start(() -> {
            context.close();
            System.exit(0);
        }));
    }

    /** Starts the context and its HTTP server; every role serves /health and /prometheus. */
    public static ApplicationContext start(Set<String> roles, Map<String, Object> properties, String... args) {
        return Micronaut.build(args)
            .mainClass(Application.class)
            .environments(roles.toArray(String[]::new))
            .properties(properties)
            .start();
    }

    /**
     * Starts like {@link #start} but leaves stopping to the caller (no JVM shutdown hook of its
     * own), for hosts that must stop genq before the embedded servers it runs on.
     */
    public static ApplicationContext startManaged(Set<String> roles, Map<String, Object> properties) {
        ApplicationContext context = ApplicationContext.builder(Application.class)
            .environments(roles.toArray(String[]::new))
            .properties(properties)
            .start();
        context.getBean(EmbeddedServer.class).start();
        return context;
    }

    static Set<String> roles(String spec) {
        if (spec == null || spec.isBlank()) {
            return ALL_ROLES;
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : spec.split(",")) {
            String r = role.trim().toLowerCase(java.util.Locale.ROOT);
            if (!ALL_ROLES.contains(r)) {
                throw new IllegalArgumentException("unknown role '" + r + "' in GENQ_ROLES; known: api, worker, scheduler");
            }
            roles.add(r);
        }
        return roles;
    }

}
