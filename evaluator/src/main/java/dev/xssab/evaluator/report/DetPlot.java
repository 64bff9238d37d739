package dev.xssab.evaluator.report;

import dev.xssab.evaluator.report.DetCurve.Series;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The drawing of DET curves: FNMR against FMR, both axes logarithmic down to {@code floor} (where a
 * rate of 0 is drawn, as the caption says), one colour per curve, shown in the legend.
 */
final class DetPlot implements PlotFiles.Plot {
    static final int W = 640;
    static final int H = 520;
    static final int L = 80;
    static final int R = 170;
    static final int T = 40;
    static final int B = 60;
    /** The legend's first entry; each further entry sits 18 px lower, its swatch from x to x + 28. */
    static final int LEGEND_X = W - R + 8;
    static final int LEGEND_Y = T + 16;

    private final String title;
    private final List<Series> curves;
    private final double floor;

    DetPlot(String title, List<Series> curves, double floor) {
        this.title = title;
        this.curves = curves;
        this.floor = floor;
    }

    @Override
    public int width() {
        return W;
    }

    @Override
    public int height() {
        return H;
    }

    @Override
    public void draw(Graphics2D g) {
        PlotFiles.begin(g, W, H, title, L);
        g.drawRect(L, T, W - L - R, H - T - B);
        for (double v = floor; v <= 1.0001; v *= 10) {
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px(v), T + 1, px(v), H - B - 1);
            g.drawLine(L + 1, py(v), W - R - 1, py(v));
            g.setColor(Color.BLACK);
            g.drawString(decadeLabel(v), px(v) - 10, H - B + 16);
            g.drawString(decadeLabel(v), L - 36, py(v) + 4);
        }
        g.drawString("FMR (false match rate)", L + (W - L - R) / 2 - 60, H - 28);
        g.drawString(String.format(Locale.ROOT, "log axes; a rate of 0 is drawn at %s", decadeLabel(floor)), L, H - 8);
        g.drawString("FNMR", 10, T + (H - T - B) / 2);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < curves.size(); i++) {
            Series c = curves.get(i);
            Color colour = PlotFiles.colour(i);
            int legendY = LEGEND_Y + 18 * i;
            PlotFiles.tagged(g, () -> drawCurve(g, c, colour, legendY), "class", "det", "data-model", c.model());
        }
    }

    /** The curve, then its legend entry: a swatch in the curve's colour and the model's name. */
    private void drawCurve(Graphics2D g, Series c, Color colour, int legendY) {
        g.setColor(colour);
        List<int[]> pts = points(c);
        g.drawPolyline(pts.stream().mapToInt(p -> p[0]).toArray(), pts.stream().mapToInt(p -> p[1]).toArray(), pts.size());
        g.drawLine(LEGEND_X, legendY, LEGEND_X + 28, legendY);
        g.setColor(Color.BLACK);
        g.drawString(c.model(), LEGEND_X + 34, legendY + 4);
    }

    /** The curve in pixels, without repeats (many thresholds land on one pixel). */
    private List<int[]> points(Series c) {
        List<int[]> pts = new ArrayList<>();
        for (int k = 0; k < c.fmr().length; k++) {
            int[] p = {px(c.fmr()[k]), py(c.fnmr()[k])};
            if (pts.isEmpty() || !Arrays.equals(pts.get(pts.size() - 1), p)) {
                pts.add(p);
            }
        }
        return pts;
    }

    private static String decadeLabel(double v) {
        int e = (int) Math.round(Math.log10(v));
        return e == 0 ? "1" : "1e" + e;
    }

    private int px(double fmr) {
        double decades = -Math.log10(floor);
        return (int) Math.round(L + (Math.log10(Math.max(fmr, floor)) + decades) / decades * (W - L - R));
    }

    private int py(double fnmr) {
        double decades = -Math.log10(floor);
        return (int) Math.round(H - B - (Math.log10(Math.max(fnmr, floor)) + decades) / decades * (H - T - B));
    }
}
