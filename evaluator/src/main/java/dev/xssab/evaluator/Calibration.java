package dev.xssab.evaluator;

import java.util.Arrays;

/**
 * The equal-error-rate threshold, computed as the xSSAB reference does: over the ROC built from
 * the scores (candidate thresholds are the distinct scores, highest first), take the point where
 * |1 - TAR - FAR| is smallest; on ties, the highest threshold. Decisions are MATCH for score >= t.
 *
 * @param threshold t
 * @param fmr false match rate at t (impostor pairs scoring >= t)
 * @param fnmr false non-match rate at t (genuine pairs scoring < t)
 * @param accuracy fraction of pairs decided correctly at t
 * @param genuine number of genuine pairs
 * @param impostor number of impostor pairs
 */
public record Calibration(double threshold, double fmr, double fnmr, double accuracy, int genuine, int impostor) {

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

    public static Calibration fromScores(double[] scores, boolean[] genuine) {
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
        double[] candidates = Arrays.stream(scores).distinct().sorted().toArray();
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
