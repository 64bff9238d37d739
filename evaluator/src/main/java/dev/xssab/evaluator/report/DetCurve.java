package dev.xssab.evaluator.report;

import dev.xssab.evaluator.LabelledScores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Detection error trade-off curves (ISO/IEC 19795-1): FNMR against FMR over every threshold, both
 * axes logarithmic, one colour per model. A rate of 0 cannot sit on a log axis: it is drawn at
 * the axis floor, half of the smallest non-zero rate these data can show (1 / (2 n)), and the
 * caption says so.
 */
public final class DetCurve {
    /** One model's curve: points ordered by rising threshold (FMR falling, FNMR rising). */
    public record Series(String model, double[] fmr, double[] fnmr, int genuine, int impostor) {}

    private DetCurve() {}

    /** The curve of one model's labelled scores: a point per distinct score, plus "accept nothing". */
    public static Series of(String model, LabelledScores data) {
        double[] s = data.scores();
        boolean[] g = data.genuine();
        int genuine = 0;
        for (boolean x : g) {
            genuine += x ? 1 : 0;
        }
        int impostor = s.length - genuine;
        if (genuine == 0 || impostor == 0) {
            throw new IllegalArgumentException("a DET curve needs genuine and impostor pairs; " + model + " has " + genuine
                    + " genuine and " + impostor + " impostor");
        }
        double[] thresholds = Arrays.stream(s).distinct().sorted().toArray();
        double[] fmr = new double[thresholds.length + 1];
        double[] fnmr = new double[thresholds.length + 1];
        for (int k = 0; k < thresholds.length; k++) {
            int falseMatches = 0;
            int falseNonMatches = 0;
            for (int i = 0; i < s.length; i++) {
                boolean match = s[i] >= thresholds[k];
                if (match && !g[i]) {
                    falseMatches++;
                } else if (!match && g[i]) {
                    falseNonMatches++;
                }
            }
            fmr[k] = (double) falseMatches / impostor;
            fnmr[k] = (double) falseNonMatches / genuine;
        }
        fmr[thresholds.length] = 0;
        fnmr[thresholds.length] = 1;
        return new Series(model, fmr, fnmr, genuine, impostor);
    }

    /** Writes {@code name.png} and {@code name.svg} into {@code dir}, one drawing of both; returns the two paths. */
    public static List<Path> write(Path dir, String name, String title, List<Series> curves) throws IOException {
        return PlotFiles.write(dir, name, new DetPlot(title, curves, floor(curves)));
    }

    /** A decade at or below half the smallest non-zero rate any curve can show. */
    static double floor(List<Series> curves) {
        int most = 1;
        for (Series c : curves) {
            most = Math.max(most, Math.max(c.genuine(), c.impostor()));
        }
        return Math.pow(10, Math.floor(Math.log10(0.5 / most)));
    }
}
