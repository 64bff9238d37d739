package dev.xssab.evaluator.report;

import dev.xssab.evaluator.LabelledScores;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ErrorRates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * An evaluation run's report: the table and the paper's two plots (FMR and FNMR against the
 * replaced percentage; a colour per curve, best_worst solid, random dashed) as PNG and SVG, and
 * an HTML page showing them. Read from the compacted aggregates topic.
 */
public final class EvaluationReport {
    /** The files every report writes, in this order. */
    public static final List<String> FILES = List.of("fmr.png", "fnmr.png", "fmr.svg", "fnmr.svg", "index.html");
    /** The files a report adds when it has every model's original-pair scores. */
    public static final List<String> DET_FILES = List.of("det.png", "det.svg");

    private final String run;
    private final Map<String, Cells> byModel;

    EvaluationReport(String run, Map<String, Cells> byModel) {
        this.run = run;
        this.byModel = byModel;
    }

    /** One model's cells of the run. */
    public record Cells(ErrorRates original, ErrorRates patched, Map<String, TreeMap<Integer, ErrorRates>> replaced) {
        /** Every cell there is: original, patched, then each strategy's by rising percentage. */
        public List<ErrorRates> all() {
            List<ErrorRates> out = new ArrayList<>();
            if (original != null) {
                out.add(original);
            }
            if (patched != null) {
                out.add(patched);
            }
            replaced.values().forEach(s -> out.addAll(s.values()));
            return out;
        }
    }

    /** The run's cells as the compacted aggregates topic holds them now; empty if the run has none. */
    public static EvaluationReport read(KafkaClients clients, Topics topics, String run) {
        return new EvaluationReport(run, AggregatesReader.cellsOf(clients, topics, run));
    }

    public boolean isEmpty() {
        return byModel.isEmpty();
    }

    /** Cells per model. */
    public Map<String, Cells> byModel() {
        return byModel;
    }

    /** The table of every cell, then the area under each curve per model and strategy. */
    public String table() {
        return ReportTable.of(byModel);
    }

    /** Trapezoidal area under rate(percentage) over the measured percentages, in percent-points x rate / 100. */
    public static double area(TreeMap<Integer, ErrorRates> curve, ToDoubleFunction<ErrorRates> f) {
        return ReportTable.area(curve, f);
    }

    /** Whether {@code originalScores} holds every model's: only then does the report draw the DET curves. */
    public boolean drawsDet(Map<String, LabelledScores> originalScores) {
        return !byModel.isEmpty() && originalScores.keySet().containsAll(byModel.keySet());
    }

    /** Writes table.txt, fmr.png, fnmr.png, fmr.svg, fnmr.svg and index.html into {@code dir}. */
    public void write(Path dir) throws IOException {
        write(dir, Map.of());
    }

    /**
     * As {@link #write(Path)}, plus det.png and det.svg: the DET curve of every model, if every
     * model's original-pair scores are given (the run keeps them).
     */
    public void write(Path dir, Map<String, LabelledScores> originalScores) throws IOException {
        Files.createDirectories(dir);
        boolean det = drawsDet(originalScores);
        if (det) {
            List<DetCurve.Series> curves = new ArrayList<>();
            for (String model : byModel.keySet()) {
                curves.add(DetCurve.of(model, originalScores.get(model)));
            }
            DetCurve.write(dir, "det", "DET on the original pairs (" + run + ")", curves);
        }
        String table = table();
        Files.writeString(dir.resolve("table.txt"), table);
        for (String metric : List.of("FMR", "FNMR")) {
            ToDoubleFunction<ErrorRates> f = metric.equals("FMR") ? ErrorRates::getFmr : ErrorRates::getFnmr;
            PlotFiles.write(dir, metric.toLowerCase(Locale.ROOT), RatePlot.of(run, metric, byModel, f));
        }
        Files.writeString(dir.resolve("index.html"), ReportPage.html(run, table, det));
    }
}
