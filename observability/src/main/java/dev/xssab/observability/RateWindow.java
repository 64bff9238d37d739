package dev.xssab.observability;

import java.time.Duration;

/** Events per second over a sliding window, kept in a few buckets (no per-event memory). */
final class RateWindow {
    private final long bucketNanos;
    private final long[] counts;
    private final long[] starts;

    RateWindow(Duration window, int buckets) {
        this.bucketNanos = window.toNanos() / buckets;
        this.counts = new long[buckets];
        this.starts = new long[buckets];
    }

    synchronized void add(long n) {
        long now = System.nanoTime();
        int i = (int) Math.floorMod(now / bucketNanos, (long) counts.length);
        long start = now / bucketNanos * bucketNanos;
        if (starts[i] != start) {
            starts[i] = start;
            counts[i] = 0;
        }
        counts[i] += n;
    }

    synchronized double perSecond() {
        long now = System.nanoTime();
        long oldest = now - bucketNanos * counts.length;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (starts[i] > oldest) {
                sum += counts[i];
            }
        }
        return sum / (bucketNanos * counts.length / 1e9);
    }
}
