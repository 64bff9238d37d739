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

    /**
     * Where a stored threshold came from, so that a listing can say why a model decides as it does.
     *
     * @param mode "eer (reference)", "eer (all-scores)" or "target-fmr F"
     * @param dataset the labelled pairs it was calibrated on
     * @param genuine genuine pairs used
     * @param impostor impostor pairs used
     * @param eer the EER on those pairs
     * @param calibratedAt when, ISO-8601
     */
    public record Provenance(String mode, String dataset, int genuine, int impostor, double eer, String calibratedAt) {
        /** One line for listings. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "%s on %s (%d genuine, %d impostor pairs, EER %.4f), %s", mode, dataset,
                    genuine, impostor, eer, calibratedAt);
        }
    }

    /** The provenance of the stored threshold of a model, if one was stored. */
    public java.util.Optional<Provenance> provenance(String modelId) {
        ObjectNode all = readAll();
        if (!all.has(modelId) || !all.get(modelId).has("threshold")) {
            return java.util.Optional.empty();
        }
        var e = all.get(modelId);
        return java.util.Optional.of(new Provenance(e.path("mode").asText("eer"), e.path("dataset").asText(e.path("source").asText("?")),
                e.path("genuine").asInt(), e.path("impostor").asInt(), e.path("eer").asDouble(Double.NaN),
                e.path("calibratedAt").asText("?")));
    }

    public synchronized void store(String modelId, double threshold, Provenance provenance) {
        ObjectNode all = readAll();
        ObjectNode entry = all.putObject(modelId);
        entry.put("threshold", threshold);
        entry.put("mode", provenance.mode());
        entry.put("dataset", provenance.dataset());
        entry.put("genuine", provenance.genuine());
        entry.put("impostor", provenance.impostor());
        entry.put("eer", provenance.eer());
        entry.put("calibratedAt", provenance.calibratedAt() != null ? provenance.calibratedAt() : Instant.now().toString());
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
