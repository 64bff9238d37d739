package dev.xssab.evaluator.report;

import dev.xssab.evaluator.LabelledScores;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Detection error trade-off curves (ISO/IEC 19795-1): FNMR against FMR over every threshold, both
 * axes logarithmic, one colour per model. A rate of 0 cannot sit on a log axis: it is drawn at
 * the axis floor, half of the smallest non-zero rate these data can show (1 / (2 n)), and the
 * caption says so.
 */
public final class DetCurve {
    private static final int W = 640;
    private static final int H = 520;
    private static final int L = 80;
    private static final int R = 170;
    private static final int T = 40;
    private static final int B = 60;

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

    /** Writes {@code name.png} and {@code name.svg} into {@code dir}; returns the two paths. */
    public static List<Path> write(Path dir, String name, String title, List<Series> curves) throws IOException {
        Files.createDirectories(dir);
        double floor = floor(curves);
        Path png = dir.resolve(name + ".png");
        ImageIO.write(png(title, curves, floor), "png", png.toFile());
        Path svg = dir.resolve(name + ".svg");
        Files.writeString(svg, svg(title, curves, floor));
        return List.of(png, svg);
    }

    /** A decade at or below half the smallest non-zero rate any curve can show. */
    static double floor(List<Series> curves) {
        int most = 1;
        for (Series c : curves) {
            most = Math.max(most, Math.max(c.genuine(), c.impostor()));
        }
        return Math.pow(10, Math.floor(Math.log10(0.5 / most)));
    }

    private static double clamp(double v, double floor) {
        return Math.max(v, floor);
    }

    private static int px(double fmr, double floor) {
        double decades = -Math.log10(floor);
        return (int) Math.round(L + (Math.log10(clamp(fmr, floor)) + decades) / decades * (W - L - R));
    }

    private static int py(double fnmr, double floor) {
        double decades = -Math.log10(floor);
        return (int) Math.round(H - B - (Math.log10(clamp(fnmr, floor)) + decades) / decades * (H - T - B));
    }

    private static List<int[]> points(Series c, double floor) {
        List<int[]> pts = new ArrayList<>();
        for (int k = 0; k < c.fmr().length; k++) {
            int[] p = {px(c.fmr()[k], floor), py(c.fnmr()[k], floor)};
            if (pts.isEmpty() || !Arrays.equals(pts.get(pts.size() - 1), p)) {
                pts.add(p);
            }
        }
        return pts;
    }

    private static String caption(double floor) {
        return String.format(Locale.ROOT, "log axes; a rate of 0 is drawn at %s", decadeLabel(floor));
    }

    private static String decadeLabel(double v) {
        int e = (int) Math.round(Math.log10(v));
        return e == 0 ? "1" : "1e" + e;
    }

    private static BufferedImage png(String title, List<Series> curves, double floor) {
        PlotCanvas canvas = PlotCanvas.white(W, H, title, L);
        BufferedImage img = canvas.image();
        Graphics2D g = canvas.g();
        g.drawRect(L, T, W - L - R, H - T - B);
        for (double v = floor; v <= 1.0001; v *= 10) {
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px(v, floor), T + 1, px(v, floor), H - B - 1);
            g.drawLine(L + 1, py(v, floor), W - R - 1, py(v, floor));
            g.setColor(Color.BLACK);
            g.drawString(decadeLabel(v), px(v, floor) - 10, H - B + 16);
            g.drawString(decadeLabel(v), L - 36, py(v, floor) + 4);
        }
        g.drawString("FMR (false match rate)", L + (W - L - R) / 2 - 60, H - 28);
        g.drawString(caption(floor), L, H - 8);
        g.drawString("FNMR", 10, T + (H - T - B) / 2);
        int legendY = T + 16;
        for (int i = 0; i < curves.size(); i++) {
            Series c = curves.get(i);
            Color colour = EvaluationReport.modelColour(i);
            g.setColor(colour);
            g.setStroke(new BasicStroke(2f));
            List<int[]> pts = points(c, floor);
            for (int k = 1; k < pts.size(); k++) {
                g.drawLine(pts.get(k - 1)[0], pts.get(k - 1)[1], pts.get(k)[0], pts.get(k)[1]);
            }
            g.drawLine(W - R + 8, legendY, W - R + 36, legendY);
            g.setColor(Color.BLACK);
            g.drawString(c.model(), W - R + 42, legendY + 4);
            legendY += 18;
        }
        g.dispose();
        return img;
    }

    private static String svg(String title, List<Series> curves, double floor) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                + " font-size=\"12\">%n<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H, W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", L, escape(title)));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>%n", L, T,
                W - L - R, H - T - B));
        for (double v = floor; v <= 1.0001; v *= 10) {
            int x = px(v, floor);
            int y = py(v, floor);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    x, T, x, H - B, x - 10, H - B + 16, decadeLabel(v)));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    L, y, W - R, y, L - 36, y + 4, decadeLabel(v)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">FMR (false match rate)</text><text x=\"10\" y=\"%d\">FNMR</text>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n", L + (W - L - R) / 2 - 60, H - 28, T + (H - T - B) / 2, L, H - 8, caption(floor)));
        int legendY = T + 16;
        for (int i = 0; i < curves.size(); i++) {
            Series c = curves.get(i);
            String colour = String.format("#%06x", EvaluationReport.modelColour(i).getRGB() & 0xffffff);
            StringBuilder pts = new StringBuilder();
            for (int[] p : points(c, floor)) {
                pts.append(p[0]).append(',').append(p[1]).append(' ');
            }
            s.append(String.format(Locale.ROOT, "<polyline class=\"det\" data-model=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\"/>%n", escape(c.model()), pts.toString().trim(), colour));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/><text x=\"%d\""
                    + " y=\"%d\">%s</text>%n", W - R + 8, legendY, W - R + 36, legendY, colour, W - R + 42, legendY + 4, escape(c.model())));
            legendY += 18;
        }
        return s.append("</svg>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

}
