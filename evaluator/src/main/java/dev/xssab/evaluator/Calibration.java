package dev.xssab.evaluator;

import java.util.Arrays;

/**
 * The equal-error-rate threshold: over an ROC of the scores, the point where |1 - TAR - FAR| is
 * smallest, the first (highest threshold) on ties. Decisions are MATCH for score >= t.
 *
 * <p>Two ROCs: {@link EerMode#REFERENCE}, the xSSAB reference's exactly (scikit-learn's
 * {@code roc_curve} with {@code drop_intermediate=True}: only the curve's corner points, after a
 * first point at an infinite threshold), the default; and {@link EerMode#ALL_SCORES}, every
 * distinct score a candidate. They choose different thresholds on some score sets.
 *
 * @param threshold t
 * @param fmr false match rate at t (impostor pairs scoring >= t)
 * @param fnmr false non-match rate at t (genuine pairs scoring < t)
 * @param accuracy fraction of pairs decided correctly at t
 * @param genuine number of genuine pairs
 * @param impostor number of impostor pairs
 */
public record Calibration(double threshold, double fmr, double fnmr, double accuracy, int genuine, int impostor) {

    /** Which ROC points are candidate thresholds. */
    public enum EerMode {
        /** scikit-learn's roc_curve(drop_intermediate=True), as the xSSAB reference computes its EER. */
        REFERENCE,
        /** Every distinct score. */
        ALL_SCORES;

        /** From the command-line spelling: reference or all-scores. */
        public static EerMode parse(String text) {
            return switch (text) {
                case "reference" -> REFERENCE;
                case "all-scores" -> ALL_SCORES;
                default -> throw new IllegalArgumentException("--eer-mode takes reference or all-scores, not " + text);
            };
        }
    }

    /**
     * The threshold to decide with: the EER point rounded down to a multiple of 1e-6. The EER
     * point sits exactly on a score (the lowest genuine one when the classes separate); engine
     * rounding (ONNX Runtime and PyTorch differ by ~1e-7) must not flip the very pair that defines it.
     */
    public double decisionThreshold() {
        return Math.floor(threshold * 1e6) / 1e6;
    }

    /** EER estimate at the chosen point: the mean of FMR and FNMR there. */
    public double eer() {
        return (fmr + fnmr) / 2;
    }

    /** The reference's EER ({@link EerMode#REFERENCE}). */
    public static Calibration fromScores(double[] scores, boolean[] genuine) {
        return fromScores(scores, genuine, EerMode.REFERENCE);
    }

    public static Calibration fromScores(double[] scores, boolean[] genuine, EerMode mode) {
        if (scores.length != genuine.length || scores.length == 0) {
            throw new IllegalArgumentException("need as many labels as scores, and at least one pair");
        }
        int nGen = 0;
        for (boolean g : genuine) {
            nGen += g ? 1 : 0;
        }
        int nImp = scores.length - nGen;
        if (nGen == 0 || nImp == 0) {
            throw new IllegalArgumentException("calibration needs genuine and impostor pairs; got " + nGen
                    + " genuine and " + nImp + " impostor");
        }
        double[] candidates = mode == EerMode.REFERENCE ? cornerPoints(scores, genuine)
                : Arrays.stream(scores).distinct().sorted().toArray();
        double best = Double.POSITIVE_INFINITY;
        double bestT = candidates[candidates.length - 1];
        for (int i = candidates.length - 1; i >= 0; i--) {
            double t = candidates[i];
            Rates r = rates(scores, genuine, t, nGen, nImp);
            double gap = Math.abs(1 - r.tar - r.far);
            if (gap < best) {
                best = gap;
                bestT = t;
            }
        }
        Rates r = rates(scores, genuine, bestT, nGen, nImp);
        double accuracy = ((1 - r.far) * nImp + r.tar * nGen) / scores.length;
        return new Calibration(bestT, r.far, 1 - r.tar, accuracy, nGen, nImp);
    }

    /**
     * The thresholds scikit-learn's {@code roc_curve} keeps with {@code drop_intermediate=True},
     * ascending: of the distinct scores (each with the cumulative true and false positives at or
     * above it, highest first), the first, the last, and those where the second difference of
     * either count is not zero; that is, the corners of the ROC. Its extra first point, at an
     * infinite threshold (TAR = FAR = 0, |1 - TAR - FAR| = 1), can only win when every other point
     * does as badly, and deciding at infinity would refuse everyone; it is left out.
     */
    static double[] cornerPoints(double[] scores, boolean[] genuine) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        java.util.List<Double> thresholds = new java.util.ArrayList<>();
        java.util.List<Integer> tps = new java.util.ArrayList<>();
        java.util.List<Integer> fps = new java.util.ArrayList<>();
        int tp = 0;
        int fp = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (genuine[i]) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfValue = k == order.length - 1 || scores[order[k + 1]] != scores[i];
            if (lastOfValue) {
                thresholds.add(scores[i]);
                tps.add(tp);
                fps.add(fp);
            }
        }
        java.util.List<Double> kept = new java.util.ArrayList<>();
        int n = thresholds.size();
        for (int j = 0; j < n; j++) {
            boolean corner = j == 0 || j == n - 1
                    || fps.get(j + 1) - 2 * fps.get(j) + fps.get(j - 1) != 0
                    || tps.get(j + 1) - 2 * tps.get(j) + tps.get(j - 1) != 0;
            if (corner) {
                kept.add(thresholds.get(j));
            }
        }
        return kept.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private record Rates(double tar, double far) {}

    private static Rates rates(double[] scores, boolean[] genuine, double t, int nGen, int nImp) {
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= t) {
                if (genuine[i]) {
                    tp++;
                } else {
                    fp++;
                }
            }
        }
        return new Rates((double) tp / nGen, (double) fp / nImp);
    }
}
