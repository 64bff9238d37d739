package dev.xssab.chaos.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Summaries of timings in milliseconds: mean, median, percentile (nearest rank below, as the benches always printed). */
public final class Samples {
    private Samples() {}

    public static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public static double median(List<Double> xs) {
        return percentile(xs, 0.5);
    }

    /** The value at rank floor(q * n) of the sorted samples; NaN when there are none. */
    public static double percentile(List<Double> xs, double q) {
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
