package dev.xssab.faces;

/**
 * A 2-D similarity {@code dst = [a -b; b a] src + (tx, ty)}: rotation, uniform scale, translation,
 * never a reflection.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    /**
     * Least-squares fit of {@code dst ~ T(src)} (Umeyama's estimate restricted to proper
     * similarities, which has this closed form in 2-D).
     */
    public static SimilarityTransform fit(double[][] src, double[][] dst) {
        int n = src.length;
        double mx = 0, my = 0, nx = 0, ny = 0;
        for (int i = 0; i < n; i++) {
            mx += src[i][0]; my += src[i][1];
            nx += dst[i][0]; ny += dst[i][1];
        }
        mx /= n; my /= n; nx /= n; ny /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double px = src[i][0] - mx, py = src[i][1] - my;
            double qx = dst[i][0] - nx, qy = dst[i][1] - ny;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("degenerate landmarks: all points coincide");
        }
        double a = dot / norm;
        double b = cross / norm;
        return new SimilarityTransform(a, b, nx - (a * mx - b * my), ny - (b * mx + a * my));
    }

    public double[] apply(double x, double y) {
        return new double[] {a * x - b * y + tx, b * x + a * y + ty};
    }

    public SimilarityTransform inverse() {
        double d = a * a + b * b;
        double ia = a / d;
        double ib = -b / d;
        return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    /** Output pixels per source pixel. */
    public double scale() {
        return Math.hypot(a, b);
    }

    /** Root-mean-square distance between T(src) and dst, in dst pixels. */
    public double rmsError(double[][] src, double[][] dst) {
        double sum = 0;
        for (int i = 0; i < src.length; i++) {
            double[] p = apply(src[i][0], src[i][1]);
            sum += Math.pow(p[0] - dst[i][0], 2) + Math.pow(p[1] - dst[i][1], 2);
        }
        return Math.sqrt(sum / src.length);
    }
}
