package dev.xssab.kafka;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Fencings of one static consumer instance id, kept for {@link #WINDOW}: a group coordinator that
 * fails over while a static member rejoins can fence that member once (KRaft chaos runs see it
 * after a frozen broker), and a rejoin heals it; a second process with the same instance id
 * fences it again at every rejoin, and that is a configuration error to stop on.
 */
final class FenceCount {
    static final int LIMIT = 3;
    static final Duration WINDOW = Duration.ofMinutes(5);
    private final ArrayDeque<Long> at = new ArrayDeque<>();

    /** Records a fencing at {@code nanos} (System.nanoTime); true when it is the LIMIT-th within the window. */
    boolean fencedAgain(long nanos) {
        while (!at.isEmpty() && nanos - at.peekFirst() > WINDOW.toNanos()) {
            at.removeFirst();
        }
        at.addLast(nanos);
        return at.size() >= LIMIT;
    }
}
