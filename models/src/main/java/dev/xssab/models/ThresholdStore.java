package dev.xssab.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Thresholds calibrated on this machine, by model id, in {@code XSSAB_HOME/thresholds.json}. A
 * model without an entry uses the default shipped in its {@link RecognitionModelSpec}.
 */
public final class ThresholdStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;

    public ThresholdStore(Path file) {
        this.file = file;
    }

    public static ThresholdStore fromEnvironment() {
        return new ThresholdStore(XssabHome.dir().resolve("thresholds.json"));
    }

    public OptionalDouble calibrated(String modelId) {
        ObjectNode all = readAll();
        if (all.has(modelId) && all.get(modelId).has("threshold")) {
            return OptionalDouble.of(all.get(modelId).get("threshold").asDouble());
        }
        return OptionalDouble.empty();
    }

    /** The threshold to decide with: the calibrated one if any, else the spec's default. */
    public double thresholdFor(RecognitionModelSpec spec) {
        return calibrated(spec.id()).orElse(spec.defaultThreshold());
    }

    public synchronized void store(String modelId, double threshold, double eer, int pairs, String source) {
        ObjectNode all = readAll();
        ObjectNode entry = all.putObject(modelId);
        entry.put("threshold", threshold);
        entry.put("eer", eer);
        entry.put("pairs", pairs);
        entry.put("source", source);
        entry.put("calibratedAt", Instant.now().toString());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), all);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelStoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private ObjectNode readAll() {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            return (ObjectNode) JSON.readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
            throw new ModelStoreException(file + " is not a valid thresholds file (" + e.getMessage()
                    + "); fix or delete it and run `./xssab calibrate` again.", e);
        }
    }
}
