package dev.xssab.evaluator.report;

import dev.xssab.evaluator.Strategy;
import dev.xssab.evaluator.report.EvaluationReport.Cells;
import dev.xssab.schemas.avro.ErrorRates;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One of the paper's two plots: FMR or FNMR against the replaced percentage. Every curve (one per
 * model and strategy) has a colour of its own, shown in the legend; best_worst is solid, random
 * dashed; each model's originals and Patch-LFW are dotted levels in a lighter shade of its first
 * curve's colour.
 */
final class RatePlot implements PlotFiles.Plot {
    static final int W = 780;
    static final int H = 480;
    static final int L = 70;
    static final int R = 250;
    static final int T = 40;
    static final int B = 60;
    /** The legend's first entry; each further entry sits 18 px lower, its swatch from x to x + 32. */
    static final int LEGEND_X = W - R + 8;
    static final int LEGEND_Y = T + 10 + H / 2;

    /** One curve: its legend label, colour, dash and (percentage, rate) points in rising percentage. */
    record Curve(String model, String strategy, Color colour, boolean dashed, List<double[]> points) {
        String label() {
            return model + " " + strategy;
        }
    }

    /** A dotted level: a model's original or Patch-LFW rate. */
    record Level(String label, Color colour, double rate) {}

    private final String title;
    private final String metric;
    private final List<Curve> curves;
    private final List<Level> levels;
    private final double ymax;

    private RatePlot(String title, String metric, List<Curve> curves, List<Level> levels, double ymax) {
        this.title = title;
        this.metric = metric;
        this.curves = curves;
        this.levels = levels;
        this.ymax = ymax;
    }

    /** The plot of {@code metric} (read from each cell by {@code rate}) for every model of a run. */
    static RatePlot of(String run, String metric, Map<String, Cells> byModel, ToDoubleFunction<ErrorRates> rate) {
        List<Curve> curves = new ArrayList<>();
        List<Level> levels = new ArrayList<>();
        for (var m : byModel.entrySet()) {
            // The colour is the curve's own, counted over all curves: a model's strategies never share one.
            Color first = PlotFiles.colour(curves.size());
            for (var s : m.getValue().replaced().entrySet()) {
                List<double[]> points = new ArrayList<>();
                s.getValue().forEach((pct, r) -> points.add(new double[] {pct, rate.applyAsDouble(r)}));
                curves.add(new Curve(m.getKey(), s.getKey(), PlotFiles.colour(curves.size()),
                        Strategy.ofTag(s.getKey()) == Strategy.RANDOM, points));
            }
            level(levels, m.getKey() + " original", first, m.getValue().original(), rate);
            level(levels, m.getKey() + " Patch-LFW", first, m.getValue().patched(), rate);
        }
        return new RatePlot(metric + " vs. replaced pixels (" + run + ")", metric, curves, levels, yMax(byModel.values(), rate));
    }

    private static void level(List<Level> levels, String label, Color colour, ErrorRates cell, ToDoubleFunction<ErrorRates> rate) {
        if (cell != null) {
            levels.add(new Level(label, colour.brighter(), rate.applyAsDouble(cell)));
        }
    }

    /** The y axis' top: 10% above the highest rate, in steps of 0.05, at least 0.05 and at most 1. */
    private static double yMax(Iterable<Cells> cells, ToDoubleFunction<ErrorRates> rate) {
        double m = 0.05;
        for (Cells c : cells) {
            for (ErrorRates r : c.all()) {
                m = Math.max(m, rate.applyAsDouble(r));
            }
        }
        return Math.min(1, Math.ceil(m * 1.1 * 20) / 20);
    }

    List<Curve> curves() {
        return curves;
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
        for (int k = 0; k <= 10; k++) {
            int x = px(k * 10);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(x, T + 1, x, H - B - 1);
            g.setColor(Color.BLACK);
            g.drawString(Integer.toString(k * 10), x - 8, H - B + 16);
        }
        for (int k = 0; k <= 5; k++) {
            double v = ymax * k / 5;
            int y = py(v);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(L + 1, y, W - R - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", v), L - 40, y + 4);
        }
        g.drawString("replaced pixels (%)", L + (W - L - R) / 2 - 50, H - 20);
        g.drawString(metric, 10, T + (H - T - B) / 2);
        drawLevels(g);
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            int legendY = LEGEND_Y + 18 * i;
            PlotFiles.tagged(g, () -> drawCurve(g, c, legendY), "class", "curve", "data-model", c.model(), "data-strategy",
                    c.strategy());
        }
    }

    private void drawLevels(Graphics2D g) {
        List<Integer> labelled = new ArrayList<>();
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {2, 3}, 0));
        for (Level level : levels) {
            int y = py(level.rate());
            g.setColor(level.colour());
            g.drawLine(L, y, W - R, y);
            g.drawString(level.label(), W - R + 8, labelY(labelled, y) + 4);
        }
    }

    /** The curve, then its legend entry: a swatch in the curve's colour and dash, and its label. */
    private void drawCurve(Graphics2D g, Curve c, int legendY) {
        g.setColor(c.colour());
        Stroke stroke = c.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {8, 5}, 0)
                : new BasicStroke(2f);
        g.setStroke(stroke);
        int[] xs = c.points().stream().mapToInt(p -> px(p[0])).toArray();
        int[] ys = c.points().stream().mapToInt(p -> py(p[1])).toArray();
        g.drawPolyline(xs, ys, xs.length);
        g.drawLine(LEGEND_X, legendY, LEGEND_X + 32, legendY);
        g.setColor(Color.BLACK);
        g.drawString(c.label(), LEGEND_X + 38, legendY + 4);
    }

    /** A label's y near {@code y} that keeps 13 px from every label already placed (models often share a rate). */
    private static int labelY(List<Integer> placed, int y) {
        int out = y;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int other : placed) {
                if (Math.abs(other - out) < 13) {
                    out = other + 13;
                    moved = true;
                }
            }
        }
        placed.add(out);
        return out;
    }

    private static int px(double pct) {
        return (int) Math.round(L + pct / 100.0 * (W - L - R));
    }

    private int py(double v) {
        return (int) Math.round(H - B - v / ymax * (H - T - B));
    }
}
