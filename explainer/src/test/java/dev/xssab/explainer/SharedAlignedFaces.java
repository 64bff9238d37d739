package dev.xssab.explainer;

import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import dev.xssab.testkit.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The 25 shared deepface photos, aligned once per test JVM with the real gateway preprocessing (public for the stream tests). */
public final class SharedAlignedFaces {
    private static final Map<String, Map<String, RgbImage>> ALIGNED = new HashMap<>();

    private SharedAlignedFaces() {}

    /** The faces aligned for fr_feature. */
    static Map<String, RgbImage> all() {
        return all(RecognitionModelSpec.frFeature());
    }

    /** The faces aligned for the given model (its size, template and landmarks), by file name, in file order. */
    static synchronized Map<String, RgbImage> all(RecognitionModelSpec spec) {
        Map<String, RgbImage> aligned = ALIGNED.get(spec.id());
        if (aligned == null) {
            Path dir = SharedData.deepface();
            Map<String, RgbImage> out = new java.util.LinkedHashMap<>();
            try (FacePreprocessor pre = FacePreprocessor.standalone(ModelStore.fromEnvironment(), spec, DecodeLimits.DEFAULT)) {
                for (int i = 1; i <= 25; i++) {
                    String name = "img" + i + ".jpg";
                    out.put(name, pre.preprocess(Files.readAllBytes(dir.resolve(name))).image());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("preprocessing a shared face failed", e);
            }
            aligned = out;
            ALIGNED.put(spec.id(), aligned);
        }
        return aligned;
    }

    public static RgbImage get(String name) {
        return all().get(name);
    }

    /** The labelled pairs of pairs.csv: {file_x, file_y, "Yes"|"No"}. */
    static List<String[]> pairs() {
        try {
            List<String[]> out = new ArrayList<>();
            List<String> lines = Files.readAllLines(SharedData.deepface().resolve("pairs.csv"));
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    out.add(line.trim().split(","));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
