package dev.xssab.observability;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs one {@link Service} in the foreground until SIGTERM (or Ctrl-C), the one copy of the shutdown-hook logic. */
public final class ServiceRunner {
    /** How long the shutdown hook lets a service finish its batch and close its clients. */
    static final long STOP_GRACE_SECONDS = 45;

    private ServiceRunner() {}

    /**
     * Runs the service on the calling thread. On SIGTERM the hook calls {@link Service#stop()} and
     * holds the JVM until {@link Service#run()} has returned, so a batch in hand is finished or
     * aborted and the clients are closed, never cut off.
     *
     * @return the exit code: 0 after a stop, 1 when the service ended by failing
     */
    public static int runUntilSigterm(Service service) throws Exception {
        CountDownLatch returned = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            service.stop();
            try {
                returned.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return service.run() ? 1 : 0;
        } finally {
            returned.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is what asked us to stop; it is running now and needs no removal.
            }
        }
    }
}
