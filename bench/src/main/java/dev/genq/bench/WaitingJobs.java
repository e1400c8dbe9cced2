package dev.genq.bench;

/** The job bare JobRunr runs: it only waits as long as the vendor would, the way a first build would call a vendor. */
public final class WaitingJobs {
    private WaitingJobs() {
    }

    public static void waitFor(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
