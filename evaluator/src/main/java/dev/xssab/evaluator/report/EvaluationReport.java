package dev.xssab.evaluator.report;

import dev.xssab.kafka.KafkaClients;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An evaluation run's report: the table and the paper's two plots (FMR and FNMR against the
 * replaced percentage; best_worst solid, random dashed, one colour per model) as PNG and SVG, and
 * an HTML page showing them. Read from the compacted aggregates topic.
 */
public final class EvaluationReport {
    private final String run;
    private final Map<String, Cells> byModel;

    private EvaluationReport(String run, Map<String, Cells> byModel) {
        this.run = run;
        this.byModel = byModel;
    }

    public boolean isEmpty() {
        return byModel.isEmpty();
    }

    /** The colour of the i-th model in every plot of a report (the paper's convention: one colour per model). */
    public static Color modelColour(int i) {
        return MODEL_COLOURS[i % MODEL_COLOURS.length];
    }

    /** Cells per model. */
    public Map<String, Cells> byModel() {
        return byModel;
    }

    /** The table of every cell, then the area under each curve per model and strategy. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-15s %-10s %-10s %5s %9s %9s %9s %9s%n", "model", "variant", "strategy", "pct",
                "FMR", "FNMR", "impostor", "genuine"));
        for (var m : byModel.entrySet()) {
            Cells c = m.getValue();
            row(table, m.getKey(), c.original());
            row(table, m.getKey(), c.patched());
            for (var s : c.replaced().values()) {
                for (ErrorRates r : s.values()) {
                    row(table, m.getKey(), r);
                }
            }
        }
        table.append(String.format(Locale.ROOT, "%nArea under each curve (replaced percent x rate / 100; lower FNMR area: the"
                + " strategy restores the match sooner)%n%-15s %-11s %10s %10s%n", "model", "strategy", "FNMR area", "FMR area"));
        for (var m : byModel.entrySet()) {
            for (var s : m.getValue().replaced().entrySet()) {
                table.append(String.format(Locale.ROOT, "%-15s %-11s %10.4f %10.4f%n", m.getKey(), s.getKey(),
                        area(s.getValue(), ErrorRates::getFnmr), area(s.getValue(), ErrorRates::getFmr)));
            }
        }
        return table.toString();
    }

    /** Writes table.txt, fmr.png, fnmr.png, fmr.svg, fnmr.svg and index.html into {@code dir}. */
    public void write(Path dir) throws IOException {
        write(dir, Map.of());
    }

    /**
     * As {@link #write(Path)}, plus det.png and det.svg: the DET curve of every model whose
     * original-pair scores are given (the run keeps them), in the report's model colours.
     */
    public void write(Path dir, Map<String, LabelledScores> originalScores) throws IOException {
        Files.createDirectories(dir);
        String det = "";
        List<DetCurve.Series> curves = new ArrayList<>();
        for (String model : byModel.keySet()) {
            if (originalScores.containsKey(model)) {
                curves.add(DetCurve.of(model, originalScores.get(model)));
            }
        }
        if (!curves.isEmpty() && curves.size() == byModel.size()) {
            DetCurve.write(dir, "det", "DET on the original pairs (" + run + ")", curves);
            det = "<h2>DET on the original pairs</h2><img src=\"det.svg\" alt=\"DET\">";
        }
        String table = table();
        Files.writeString(dir.resolve("table.txt"), table);
        for (String metric : List.of("FMR", "FNMR")) {
            ToDoubleFunction<ErrorRates> f = metric.equals("FMR") ? ErrorRates::getFmr : ErrorRates::getFnmr;
            ImageIO.write(png(byModel, metric, f), "png", dir.resolve(metric.toLowerCase(Locale.ROOT) + ".png").toFile());
            Files.writeString(dir.resolve(metric.toLowerCase(Locale.ROOT) + ".svg"), svg(byModel, metric, f));
        }
        Files.writeString(dir.resolve("index.html"), "<!doctype html><html><head><meta charset=\"utf-8\"><title>xSSAB evaluation "
                + run + "</title><style>body{font-family:sans-serif;margin:2em}img{max-width:48%}pre{background:#f6f6f6;padding:1em}</style>"
                + "</head><body><h1>xSSAB evaluation " + run + "</h1><p>FMR and FNMR at the run's threshold against the share of "
                + "original pixels put back into the patched image 1. Solid: best_worst (by the combined xSSAB map); dashed: random. "
                + "Dotted: originals and Patch-LFW.</p><img src=\"fmr.svg\" alt=\"FMR\"><img src=\"fnmr.svg\" alt=\"FNMR\">"
                + det + "<pre>" + table.replace("<", "&lt;") + "</pre></body></html>\n");
    }

    private static final Color[] MODEL_COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    /** One model's cells of the run. */
    public record Cells(ErrorRates original, ErrorRates patched, Map<String, TreeMap<Integer, ErrorRates>> replaced) {}

    /** The run's cells as the compacted aggregates topic holds them now; empty if the run has none. */
    public static EvaluationReport read(KafkaClients clients, Topics topics, String run) {
        Map<String, ErrorRates> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, ErrorRates> consumer = clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                topics.aggregates().valueSerde().deserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.AGGREGATES).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, ErrorRates> r : consumer.poll(Duration.ofMillis(300))) {
                    if (r.value() != null && run.equals(r.value().getRun())) {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        Map<String, Cells> byModel = new TreeMap<>();
        for (ErrorRates r : latest.values()) {
            Cells c = byModel.computeIfAbsent(r.getModel(), m -> new Cells(null, null, new TreeMap<>()));
            switch (r.getVariant()) {
                case EvaluationTags.ORIGINAL -> byModel.put(r.getModel(), new Cells(r, c.patched(), c.replaced()));
                case EvaluationTags.PATCHED -> byModel.put(r.getModel(), new Cells(c.original(), r, c.replaced()));
                default -> c.replaced().computeIfAbsent(r.getStrategy(), s -> new TreeMap<>()).put(r.getPercentage(), r);
            }
        }
        return new EvaluationReport(run, byModel);
    }

    private static void row(StringBuilder b, String model, ErrorRates r) {
        if (r == null) {
            return;
        }
        b.append(String.format(Locale.ROOT, "%-15s %-10s %-10s %5d %9.4f %9.4f %9d %9d%n", model, r.getVariant(), r.getStrategy(),
                r.getPercentage(), r.getFmr(), r.getFnmr(), r.getImpostor(), r.getGenuine()));
    }

    /** Trapezoidal area under rate(percentage) over the measured percentages, in percent-points x rate / 100. */
    public static double area(TreeMap<Integer, ErrorRates> curve, ToDoubleFunction<ErrorRates> f) {
        double a = 0;
        Map.Entry<Integer, ErrorRates> prev = null;
        for (var e : curve.entrySet()) {
            if (prev != null) {
                a += (e.getKey() - prev.getKey()) * (f.applyAsDouble(e.getValue()) + f.applyAsDouble(prev.getValue())) / 2;
            }
            prev = e;
        }
        return a / 100;
    }

    private record Series(String label, Color colour, boolean dashed, List<double[]> points) {}

    private static List<Series> series(Map<String, Cells> byModel, ToDoubleFunction<ErrorRates> f) {
        List<Series> out = new ArrayList<>();
        int i = 0;
        for (var m : byModel.entrySet()) {
            Color colour = MODEL_COLOURS[i++ % MODEL_COLOURS.length];
            for (var s : m.getValue().replaced().entrySet()) {
                List<double[]> pts = new ArrayList<>();
                s.getValue().forEach((pct, r) -> pts.add(new double[] {pct, f.applyAsDouble(r)}));
                out.add(new Series(m.getKey() + " " + s.getKey(), colour, s.getKey().equals("random"), pts));
            }
        }
        return out;
    }

    private static double yMax(Map<String, Cells> byModel, ToDoubleFunction<ErrorRates> f) {
        double m = 0.05;
        for (Cells c : byModel.values()) {
            if (c.original() != null) {
                m = Math.max(m, f.applyAsDouble(c.original()));
            }
            if (c.patched() != null) {
                m = Math.max(m, f.applyAsDouble(c.patched()));
            }
            for (var s : c.replaced().values()) {
                for (ErrorRates r : s.values()) {
                    m = Math.max(m, f.applyAsDouble(r));
                }
            }
        }
        return Math.min(1, Math.ceil(m * 1.1 * 20) / 20);
    }

    private static final int W = 780, H = 480, L = 70, R = 250, T = 40, B = 60;

    private BufferedImage png(Map<String, Cells> byModel, String metric, ToDoubleFunction<ErrorRates> f) {
        PlotCanvas canvas = PlotCanvas.white(W, H, metric + " vs. replaced pixels (" + run + ")", L);
        BufferedImage img = canvas.image();
        Graphics2D g = canvas.g();
        double ymax = yMax(byModel, f);
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
            int y = py(v, ymax);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(L + 1, y, W - R - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", v), L - 40, y + 4);
        }
        g.drawString("replaced pixels (%)", L + (W - L - R) / 2 - 50, H - 20);
        g.drawString(metric, 10, T + (H - T - B) / 2);
        int legendY = T + 10;
        int i = 0;
        List<Integer> labelled = new ArrayList<>();
        for (var m : byModel.entrySet()) {
            Color colour = MODEL_COLOURS[i++ % MODEL_COLOURS.length];
            for (var ref : new Object[][] {{m.getValue().original(), "original"}, {m.getValue().patched(), "Patch-LFW"}}) {
                if (ref[0] != null) {
                    int y = py(f.applyAsDouble((ErrorRates) ref[0]), ymax);
                    g.setColor(colour.brighter());
                    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {2, 3}, 0));
                    g.drawLine(L, y, W - R, y);
                    g.drawString(m.getKey() + " " + ref[1], W - R + 8, labelY(labelled, y) + 4);
                }
            }
        }
        for (Series s : series(byModel, f)) {
            g.setColor(s.colour());
            g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {8, 5}, 0)
                    : new BasicStroke(2f));
            for (int k = 1; k < s.points().size(); k++) {
                double[] a = s.points().get(k - 1);
                double[] b = s.points().get(k);
                g.drawLine(px(a[0]), py(a[1], ymax), px(b[0]), py(b[1], ymax));
            }
            g.drawLine(W - R + 8, legendY + H / 2, W - R + 40, legendY + H / 2);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), W - R + 46, legendY + H / 2 + 4);
            legendY += 18;
        }
        g.dispose();
        return img;
    }

    private String svg(Map<String, Cells> byModel, String metric, ToDoubleFunction<ErrorRates> f) {
        double ymax = yMax(byModel, f);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s vs. replaced pixels (%s)</text>%n", L, metric, run));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>%n", L, T, W - L - R, H - T - B));
        for (int k = 0; k <= 10; k++) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%d\" y=\"%d\">%d</text>%n",
                    px(k * 10), T, px(k * 10), H - B, px(k * 10) - 8, H - B + 16, k * 10));
        }
        for (int k = 0; k <= 5; k++) {
            double v = ymax * k / 5;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%d\" y=\"%d\">%.2f</text>%n",
                    L, py(v, ymax), W - R, py(v, ymax), L - 40, py(v, ymax) + 4, v));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">replaced pixels (%%)</text><text x=\"10\" y=\"%d\">%s</text>%n",
                L + (W - L - R) / 2 - 50, H - 20, T + (H - T - B) / 2, metric));
        int i = 0;
        List<Integer> labelled = new ArrayList<>();
        for (var m : byModel.entrySet()) {
            String colour = hex(MODEL_COLOURS[i++ % MODEL_COLOURS.length]);
            for (var ref : new Object[][] {{m.getValue().original(), "original"}, {m.getValue().patched(), "Patch-LFW"}}) {
                if (ref[0] != null) {
                    int y = py(f.applyAsDouble((ErrorRates) ref[0]), ymax);
                    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"2 3\"/><text x=\"%d\" y=\"%d\">%s %s</text>%n",
                            L, y, W - R, y, colour, W - R + 8, labelY(labelled, y) + 4, m.getKey(), ref[1]));
                }
            }
        }
        int legendY = T + 10 + H / 2;
        for (Series se : series(byModel, f)) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : se.points()) {
                pts.append(px(p[0])).append(',').append(py(p[1], ymax)).append(' ');
            }
            String dash = se.dashed() ? " stroke-dasharray=\"8 5\"" : "";
            s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    pts.toString().trim(), hex(se.colour()), dash));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    W - R + 8, legendY, W - R + 40, legendY, hex(se.colour()), dash, W - R + 46, legendY + 4, se.label()));
            legendY += 18;
        }
        return s.append("</svg>\n").toString();
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

    private static String hex(Color c) {
        return String.format("#%06x", c.getRGB() & 0xffffff);
    }

    private static int px(double pct) {
        return (int) Math.round(L + pct / 100.0 * (W - L - R));
    }

    private static int py(double v, double ymax) {
        return (int) Math.round(H - B - v / ymax * (H - T - B));
    }
}
