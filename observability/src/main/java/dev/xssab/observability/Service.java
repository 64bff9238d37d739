package dev.xssab.observability;

import java.util.concurrent.CountDownLatch;

/**
 * A long-running service as {@link ServiceRunner} drives it: {@link #run} does (or waits for) the
 * work until {@link #stop} is called from another thread, or until the service fails by itself.
 */
public interface Service {
    /**
     * Runs until {@link #stop()} or until the service ends by itself, and releases what it started
     * before returning (the shutdown hook waits for that).
     *
     * @return true when the service ended because it failed
     */
    boolean run() throws Exception;

    /** Asks {@link #run()} to return soon; called from the shutdown hook's thread. */
    void stop();

    /** A service whose work runs on the calling thread, such as a consumer loop. */
    static Service loop(Runnable loop, Runnable stop) {
        return new Service() {
            @Override
            public boolean run() {
                loop.run();
                return false;
            }

            @Override
            public void stop() {
                stop.run();
            }
        };
    }

    /** A service whose work runs on threads of its own, already started (an HTTP server): it waits for the stop. */
    static Service alreadyRunning() {
        CountDownLatch stopped = new CountDownLatch(1);
        return new Service() {
            @Override
            public boolean run() throws InterruptedException {
                stopped.await();
                return false;
            }

            @Override
            public void stop() {
                stopped.countDown();
            }
        };
    }
}
