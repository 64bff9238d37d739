package dev.xssab.evaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a pair list in the deepface format: a header {@code file_x,file_y,Decision}, then one pair
 * per line with Decision {@code Yes} (same person) or {@code No}.
 */
public final class PairsCsv {
    private PairsCsv() {}

    public static List<LabelledPair> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + " is empty; expected a header file_x,file_y,Decision");
        }
        String[] header = lines.get(0).trim().split("\\s*,\\s*");
        int x = indexOf(header, "file_x", csv);
        int y = indexOf(header, "file_y", csv);
        int d = indexOf(header, "decision", csv);
        List<LabelledPair> pairs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("\\s*,\\s*");
            if (cells.length < header.length) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": expected " + header.length
                        + " columns, got " + cells.length);
            }
            String decision = cells[d].toLowerCase(Locale.ROOT);
            if (!decision.equals("yes") && !decision.equals("no")) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": Decision must be Yes or No, got '"
                        + cells[d] + "'");
            }
            pairs.add(new LabelledPair(cells[x], cells[y], decision.equals("yes")));
        }
        return pairs;
    }

    private static int indexOf(String[] header, String name, Path csv) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(csv + " has no column '" + name + "'; expected file_x,file_y,Decision");
    }
}
