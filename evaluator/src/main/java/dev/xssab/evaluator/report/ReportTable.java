package dev.xssab.evaluator.report;

import dev.xssab.evaluator.report.EvaluationReport.Cells;
import dev.xssab.schemas.avro.ErrorRates;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The report's table: every cell, then the area under each curve per model and strategy. */
final class ReportTable {
    private ReportTable() {}

    static String of(Map<String, Cells> byModel) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-15s %-10s %-10s %5s %9s %9s %9s %9s%n", "model", "variant", "strategy", "pct",
                "FMR", "FNMR", "impostor", "genuine"));
        for (var m : byModel.entrySet()) {
            for (ErrorRates r : m.getValue().all()) {
                table.append(String.format(Locale.ROOT, "%-15s %-10s %-10s %5d %9.4f %9.4f %9d %9d%n", m.getKey(), r.getVariant(),
                        r.getStrategy(), r.getPercentage(), r.getFmr(), r.getFnmr(), r.getImpostor(), r.getGenuine()));
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

    /** Trapezoidal area under rate(percentage) over the measured percentages, in percent-points x rate / 100. */
    static double area(TreeMap<Integer, ErrorRates> curve, ToDoubleFunction<ErrorRates> f) {
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
}
