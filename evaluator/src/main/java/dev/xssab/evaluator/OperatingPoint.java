package dev.xssab.evaluator;

import java.util.Arrays;
import java.util.Random;

/**
 * A threshold chosen for a target false match rate, as NIST FRTE reports FNMR at a fixed FMR:
 * the lowest threshold whose FMR on the impostor pairs is at most the target, the FNMR there, and
 * 95% bootstrap confidence intervals of both rates at that threshold (pairs resampled with
 * replacement; the number of resamples and the seed are part of the result, so it can be redone).
 *
 * @param target the FMR asked for
 * @param threshold t; MATCH for score >= t
 * @param fmr false match rate at t on these pairs
 * @param fnmr false non-match rate at t
 * @param fmrCi 95% interval of the FMR, {low, high}
 * @param fnmrCi 95% interval of the FNMR, {low, high}
 */
public record OperatingPoint(double target, double threshold, double fmr, double fnmr, double[] fmrCi, double[] fnmrCi,
        int genuine, int impostor, int resamples, long seed) {

    /**
     * Impostor pairs a target FMR needs. With n impostors and none falsely matched, the one-sided
     * upper bound of the FMR at confidence c is 1 - (1 - c)^(1/n), about -ln(1 - c)/n: 3/n at 95%
     * (the rule of three), 2.3/n at 90%. Fewer than -ln(0.1)/F impostors cannot bound the FMR at F
     * even at 90%; that is the refusal.
     */
    public static int impostorsNeeded(double targetFmr) {
        return (int) Math.ceil(-Math.log(0.10) / targetFmr);
    }

    /** Whether these impostor pairs can support the target at all. */
    public static boolean supported(double targetFmr, int impostors) {
        return impostors >= impostorsNeeded(targetFmr);
    }

    /**
     * @throws IllegalArgumentException naming how many impostor pairs the target would need, when
     *     the data cannot support it, or when one class is missing
     */
    public static OperatingPoint atTargetFmr(double[] scores, boolean[] genuine, double targetFmr, int resamples, long seed) {
        if (!(targetFmr > 0 && targetFmr < 1)) {
            throw new IllegalArgumentException("a target FMR must be between 0 and 1, not " + targetFmr);
        }
        double[] impostors = select(scores, genuine, false);
        double[] genuines = select(scores, genuine, true);
        if (genuines.length == 0 || impostors.length == 0) {
            throw new IllegalArgumentException("an operating point needs genuine and impostor pairs");
        }
        if (!supported(targetFmr, impostors.length)) {
            throw new IllegalArgumentException("a target FMR of " + targetFmr + " needs at least " + impostorsNeeded(targetFmr)
                    + " impostor pairs (about 2.3/FMR: none falsely matched among them bounds the FMR at 90%; 3/FMR at 95%);"
                    + " these data have " + impostors.length);
        }
        Arrays.sort(impostors);
        // At most k false matches: t must lie above the (k+1)-th highest impostor score.
        int k = (int) Math.floor(targetFmr * impostors.length + 1e-9);
        double t = k >= impostors.length ? Double.NEGATIVE_INFINITY : impostors[impostors.length - 1 - k];
        // The lowest threshold above it, rounded up to 1e-6 so that it prints and stores as it decides.
        double threshold = Math.ceil(Math.nextUp(t) * 1e6) / 1e6;
        double fmr = rate(impostors, threshold);
        double fnmr = 1 - rate(genuines, threshold);
        double[][] resampled = bootstrap(scores, genuine, threshold, resamples, seed);
        return new OperatingPoint(targetFmr, threshold, fmr, fnmr, interval(resampled[0]), interval(resampled[1]), genuines.length,
                impostors.length, resamples, seed);
    }

    /** FMR and FNMR at the threshold over {@code resamples} resamplings of the pairs with replacement. */
    private static double[][] bootstrap(double[] scores, boolean[] genuine, double threshold, int resamples, long seed) {
        double[] fmrs = new double[resamples];
        double[] fnmrs = new double[resamples];
        Random random = new Random(seed);
        for (int b = 0; b < resamples; b++) {
            int fm = 0;
            int imp = 0;
            int fnm = 0;
            int gen = 0;
            for (int i = 0; i < scores.length; i++) {
                int j = random.nextInt(scores.length);
                boolean match = scores[j] >= threshold;
                if (genuine[j]) {
                    gen++;
                    fnm += match ? 0 : 1;
                } else {
                    imp++;
                    fm += match ? 1 : 0;
                }
            }
            fmrs[b] = imp == 0 ? 0 : (double) fm / imp;
            fnmrs[b] = gen == 0 ? 0 : (double) fnm / gen;
        }
        return new double[][] {fmrs, fnmrs};
    }

    private static double[] select(double[] scores, boolean[] genuine, boolean which) {
        return java.util.stream.IntStream.range(0, scores.length).filter(i -> genuine[i] == which).mapToDouble(i -> scores[i])
                .toArray();
    }

    private static double rate(double[] scores, double t) {
        return Arrays.stream(scores).filter(s -> s >= t).count() / (double) scores.length;
    }

    /** The 2.5th and 97.5th percentiles. */
    private static double[] interval(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {sorted[(int) Math.floor(0.025 * (sorted.length - 1))], sorted[(int) Math.ceil(0.975 * (sorted.length - 1))]};
    }
}
