package dev.xssab.kafka;

import java.time.Duration;

/**
 * A pause that doubles after every failure up to a cap and starts small again after a success,
 * for services that wait out an outage (broker, registry, database) instead of stopping.
 */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The pause the next {@link #pause()} will take. */
    public Duration next() {
        return next;
    }

    /** Sleeps the current pause and doubles the next one. */
    public void pause() {
        try {
            Thread.sleep(next.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    }

    /** After a success: the next failure waits briefly again. */
    public void reset() {
        next = first;
    }
}
