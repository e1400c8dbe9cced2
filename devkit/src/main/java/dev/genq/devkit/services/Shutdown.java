package dev.genq.devkit.services;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One JVM shutdown hook that closes what was registered in reverse order, so an application
 * started on embedded servers stops before the servers it uses (separate hooks run in any order).
 */
public final class Shutdown {
    private static final Deque<AutoCloseable> STACK = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Shutdown::closeAll, "genq-shutdown"));
    }

    private Shutdown() {
    }

    public static synchronized void register(AutoCloseable closeable) {
        STACK.push(closeable);
    }

    private static synchronized void closeAll() {
        while (!STACK.isEmpty()) {
            try {
                STACK.pop().close();
            } catch (Exception ignored) {
                // best effort: the JVM is exiting
            }
        }
    }
}
