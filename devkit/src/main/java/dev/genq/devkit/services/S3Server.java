package dev.genq.devkit.services;

import java.nio.file.Path;

/**
 * The embedded S3-compatible server as a program of its own, so that a test can run it in a container
 * (and stop and start that container): {@code S3Server DATA_DIR PORT}.
 */
public final class S3Server {
    /** Printed once the server answers; a container's wait strategy looks for it. */
    public static final String READY = "genq S3 server ready";

    private S3Server() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: S3Server DATA_DIR PORT");
            System.exit(2);
        }
        S3 s3 = Embedded.s3(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println(READY + " at " + s3.endpoint());
        Thread.currentThread().join(); // serves until the process is stopped
    }
}
