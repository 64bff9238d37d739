package dev.xssab.evaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Comparison scores with their ground truth, as calibrations and DET curves take them. Kept with
 * an evaluation run (one CSV per model, {@code score,genuine}) so its report can draw the DET
 * curve later without scoring again.
 */
public record LabelledScores(double[] scores, boolean[] genuine) {
    public LabelledScores {
        if (scores.length != genuine.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + genuine.length + " labels");
        }
    }

    public void write(Path csv) throws IOException {
        StringBuilder b = new StringBuilder("score,genuine\n");
        for (int i = 0; i < scores.length; i++) {
            b.append(String.format(Locale.ROOT, "%.9f,%b%n", scores[i], genuine[i]));
        }
        Files.writeString(csv, b);
    }

    public static LabelledScores read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] f = line.split(",");
                rows.add(new double[] {Double.parseDouble(f[0]), Boolean.parseBoolean(f[1].trim()) ? 1 : 0});
            }
        }
        double[] s = new double[rows.size()];
        boolean[] g = new boolean[rows.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = rows.get(i)[0];
            g[i] = rows.get(i)[1] > 0;
        }
        return new LabelledScores(s, g);
    }
}
