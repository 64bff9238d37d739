package dev.xssab.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer loop on a thread of its own, so that a service can be started and asked whether it
 * is ready while its loop runs; the loop's failure is kept for whoever waits for the end.
 */
public final class LoopThread {
    private static final Logger LOG = LoggerFactory.getLogger(LoopThread.class);
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile RuntimeException failure;

    public LoopThread(String name, Runnable loop) {
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } catch (RuntimeException e) {
                failure = e;
                LOG.error("{} failed", name, e);
            }
        }, name);
    }

    /** Starts the loop; a second call does nothing. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /**
     * Null while the loop runs; else why not: not started yet, failed (with what), or returned.
     *
     * @param what the loop's name in the answer
     */
    public String problem(String what) {
        if (!started.get()) {
            return what + " has not started";
        }
        if (failure != null) {
            return what + " failed: " + failure;
        }
        return thread.isAlive() ? null : what + " has stopped";
    }

    /** Waits until the loop has returned (at once if it never started); rethrows its failure. */
    public void await() throws InterruptedException {
        if (started.get()) {
            thread.join();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
