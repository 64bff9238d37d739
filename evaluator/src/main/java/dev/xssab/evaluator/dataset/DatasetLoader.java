package dev.xssab.evaluator.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a dataset from a {@code kind:path} spec:
 *
 * <ul>
 *   <li>{@code lfw:DIR}: DIR/Name/Name_NNNN.jpg and DIR/pairs.txt (or pairs.txt in DIR's parent);</li>
 *   <li>{@code csv:DIR}: DIR/pairs.csv with file_x,file_y,Decision (photos);</li>
 *   <li>{@code aligned:DIR} or {@code ref:DIR}: the xSSAB reference's layout, images that already
 *       are aligned crops of the model's input size and a pair list of lines {@code a.png b.png 1|-1};
 *       detection is skipped;</li>
 *   <li>{@code patchlfw:DIR}: a Patch-LFW on disk, laid out as the reference's extraction script
 *       reads it (its data_path_L, data_path_R and pairs_path): DIR/pairs.txt (the flat form above
 *       or LFW's own), the aligned originals in DIR/original (or L, lfw) and the patched image 1 of
 *       every pair, under the same name, in DIR/patched (or R, patch-lfw, patchlfw).
 *       {@code ./xssab patchlfw --out DIR} writes the flat form.</li>
 * </ul>
 */
public final class DatasetLoader {
    /** The kinds, for messages and help. */
    public static final String KINDS = "lfw:DIR, csv:DIR, aligned:DIR (or ref:DIR) or patchlfw:DIR";

    private DatasetLoader() {}

    public static Dataset load(String spec) throws IOException {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("dataset '" + spec + "' needs a kind: " + KINDS);
        }
        String kind = spec.substring(0, colon).toLowerCase(Locale.ROOT);
        Path dir = Path.of(spec.substring(colon + 1));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dataset folder " + dir + " does not exist");
        }
        return switch (kind) {
            case "lfw" -> lfw(dir);
            case "ref" -> reference("ref", dir, dir);
            case "aligned" -> reference("aligned", dir, dir);
            case "patchlfw" -> patchLfw(dir);
            case "csv" -> csv(dir);
            default -> throw new IllegalArgumentException("unknown dataset kind '" + kind + "': use " + KINDS);
        };
    }

    /**
     * LFW's pairs.txt: a header "folds n" (10 300), then per fold n genuine lines
     * {@code name i j} and n impostor lines {@code name1 i name2 j}.
     */
    static Dataset lfw(Path root) throws IOException {
        Path pairsFile = Files.isRegularFile(root.resolve("pairs.txt")) ? root.resolve("pairs.txt")
                : root.resolve("..").resolve("pairs.txt").normalize();
        if (!Files.isRegularFile(pairsFile)) {
            throw new IllegalArgumentException("no pairs.txt in " + root + " or its parent");
        }
        return lfwPairs("lfw", root, pairsFile);
    }

    private static Dataset lfwPairs(String name, Path root, Path pairsFile) throws IOException {
        List<String> lines = Files.readAllLines(pairsFile);
        Builder b = new Builder(name);
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).trim().split("\\s+");
            if (f.length == 3) {
                b.pair(lfwImage(root, f[0], f[1]), f[0], lfwImage(root, f[0], f[2]), f[0], true);
            } else if (f.length == 4) {
                b.pair(lfwImage(root, f[0], f[1]), f[0], lfwImage(root, f[2], f[3]), f[2], false);
            } else if (!lines.get(n).isBlank()) {
                throw new IllegalArgumentException(pairsFile + " line " + (n + 1) + ": expected 3 or 4 fields");
            }
        }
        return b.build();
    }

    /** DIR/Name/Name_NNNN.jpg, or .png where an aligned copy of LFW was saved losslessly. */
    private static Path lfwImage(Path root, String name, String number) {
        Path jpg = root.resolve(name).resolve(String.format(Locale.ROOT, "%s_%04d.jpg", name, Integer.parseInt(number)));
        Path png = jpg.resolveSibling(jpg.getFileName().toString().replaceAll("\\.jpg$", ".png"));
        return !Files.exists(jpg) && Files.exists(png) ? png : jpg;
    }

    /** Folder names a Patch-LFW's originals and patched images go by: ours first, then the reference script's. */
    private static final List<String> ORIGINAL_FOLDERS = List.of("original", "L", "lfw");
    private static final List<String> PATCHED_FOLDERS = List.of("patched", "R", "patch-lfw", "patchlfw");

    /**
     * A Patch-LFW on disk: a pair list {@code pairs.txt}, the aligned originals and, under the same
     * relative names, the patched image 1 of every pair. The pair list is either the reference's
     * flat form ({@code a.png b.png 1|-1}) or LFW's own (header, then {@code name i j} and
     * {@code name1 i name2 j}, images in {@code Name/Name_NNNN.jpg|png} trees).
     */
    static Dataset patchLfw(Path dir) throws IOException {
        Path originals = firstFolder(dir, ORIGINAL_FOLDERS);
        Path patched = firstFolder(dir, PATCHED_FOLDERS);
        Path pairsFile = dir.resolve("pairs.txt");
        if (originals == null || patched == null || !Files.isRegularFile(pairsFile)) {
            throw new IllegalArgumentException("patchlfw:" + dir + " needs pairs.txt, the aligned originals in one of "
                    + ORIGINAL_FOLDERS + " and the patched image 1 of every pair, under the same name, in one of " + PATCHED_FOLDERS);
        }
        Dataset plain = lfwStyle(pairsFile) ? lfwPairs("patchlfw", originals, pairsFile) : reference("patchlfw", dir, originals);
        List<Dataset.Pair> pairs = new ArrayList<>();
        for (Dataset.Pair p : plain.pairs()) {
            Path file = patched.resolve(originals.relativize(plain.images().get(p.first()).file()));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("patchlfw:" + dir + ": no patched image " + file + " for pair "
                        + plain.images().get(p.first()).file().getFileName() + " / " + plain.images().get(p.second()).file().getFileName());
            }
            pairs.add(new Dataset.Pair(p.first(), p.second(), p.genuine(), file));
        }
        return new Dataset(plain.name(), plain.images(), List.copyOf(pairs), true);
    }

    private static Path firstFolder(Path dir, List<String> names) {
        return names.stream().map(dir::resolve).filter(Files::isDirectory).findFirst().orElse(null);
    }

    /** LFW's pairs.txt opens with a header of two numbers (folds, pairs per class per fold). */
    private static boolean lfwStyle(Path pairsFile) throws IOException {
        return Files.readAllLines(pairsFile).stream().filter(l -> !l.isBlank()).findFirst()
                .map(l -> l.trim().matches("\\d+\\s+\\d+")).orElse(false);
    }

    /**
     * The xSSAB reference layout: pair list DIR/pairs.txt (or the only .txt) with 1 / -1 labels,
     * images (aligned crops) in {@code images}.
     */
    static Dataset reference(String name, Path dir, Path images) throws IOException {
        Path list = dir.resolve("pairs.txt");
        if (!Files.isRegularFile(list)) {
            try (var s = Files.list(dir)) {
                List<Path> txt = s.filter(p -> p.toString().endsWith(".txt")).toList();
                if (txt.size() != 1) {
                    throw new IllegalArgumentException(dir + " needs pairs.txt (lines: a.jpg b.jpg 1|-1)");
                }
                list = txt.get(0);
            }
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            if (!line.isBlank()) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 3 || !(f[2].equals("1") || f[2].equals("-1"))) {
                    throw new IllegalArgumentException(list + ": expected 'a.jpg b.jpg 1|-1', got '" + line + "'");
                }
                rows.add(f);
            }
        }
        Dataset d = fromLabelledFiles(name, images, rows.stream().map(r -> new String[] {r[0], r[1], r[2].equals("1") ? "yes" : "no"})
                .toList());
        return new Dataset(d.name(), d.images(), d.pairs(), true);
    }

    /** A deepface-style pairs.csv; identities are the connected components of the "Yes" pairs. */
    static Dataset csv(Path dir) throws IOException {
        Path csv = dir.resolve("pairs.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("no pairs.csv in " + dir);
        }
        return csv(csv, dir);
    }

    /** A deepface-style pair list anywhere, its file names relative to {@code images} (photos, as calibrate takes them). */
    public static Dataset csv(Path pairsCsv, Path images) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (var p : dev.xssab.evaluator.PairsCsv.read(pairsCsv)) {
            rows.add(new String[] {p.first(), p.second(), p.genuine() ? "yes" : "no"});
        }
        return fromLabelledFiles("csv", images, rows);
    }

    /** Identities from labels alone: connected components of the genuine pairs (union-find). */
    private static Dataset fromLabelledFiles(String name, Path dir, List<String[]> rows) {
        Map<String, String> parent = new HashMap<>();
        for (String[] r : rows) {
            parent.putIfAbsent(r[0], r[0]);
            parent.putIfAbsent(r[1], r[1]);
            if (r[2].equals("yes")) {
                parent.put(find(parent, r[0]), find(parent, r[1]));
            }
        }
        Builder b = new Builder(name);
        for (String[] r : rows) {
            b.pair(dir.resolve(r[0]), "id:" + find(parent, r[0]), dir.resolve(r[1]), "id:" + find(parent, r[1]), r[2].equals("yes"));
        }
        return b.build();
    }

    private static String find(Map<String, String> parent, String x) {
        String root = x;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        parent.put(x, root);
        return root;
    }

    private static final class Builder {
        private final String name;
        private final Map<Path, Integer> index = new LinkedHashMap<>();
        private final List<Dataset.Image> images = new ArrayList<>();
        private final List<Dataset.Pair> pairs = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        private int image(Path file, String identity) {
            return index.computeIfAbsent(file, f -> {
                images.add(new Dataset.Image(f, identity));
                return images.size() - 1;
            });
        }

        void pair(Path a, String idA, Path b, String idB, boolean genuine) {
            pairs.add(new Dataset.Pair(image(a, idA), image(b, idB), genuine));
        }

        Dataset build() {
            return new Dataset(name, List.copyOf(images), List.copyOf(pairs), false);
        }
    }
}
