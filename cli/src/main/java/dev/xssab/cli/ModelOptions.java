package dev.xssab.cli;

import dev.xssab.models.ModelCatalog;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a recognition model. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "ID",
            description = "A built-in recognition model (./xssab models list): fr_feature (default), mobileface, faceapi_resnet.")
    public String modelId;

    @Option(names = "--model-spec", paramLabel = "JSON",
            description = "Your own recognition model: a spec JSON (see docs/architecture.md, \"Bring your own model\").")
    public Path modelSpec;

    public RecognitionModelSpec spec() throws IOException {
        if (modelId != null && modelSpec != null) {
            throw new UserException("give --model or --model-spec, not both");
        }
        if (modelSpec == null) {
            return byId(modelId == null ? ModelCatalog.DEFAULT_MODEL : modelId);
        }
        return readSpec(modelSpec, "--model-spec");
    }

    /** A user's spec file; a missing or invalid one is a user error naming where it was given. */
    public static RecognitionModelSpec readSpec(Path file, String givenAs) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserException(givenAs + " " + file + " does not exist");
        }
        try {
            return RecognitionModelSpec.read(file);
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
            throw new UserException(givenAs + " " + file + " is invalid: " + e.getMessage());
        }
    }

    /** A built-in id, or a path to a spec JSON (ends in .json). */
    public static RecognitionModelSpec idOrSpec(String entry, String givenAs) throws IOException {
        return entry.endsWith(".json") ? readSpec(Path.of(entry), givenAs) : byId(entry);
    }

    /** A built-in model; an unknown id is a user error naming the known ones. */
    public static RecognitionModelSpec byId(String id) {
        try {
            return ModelCatalog.byId(id);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    public ModelStore store() {
        return ModelStore.fromEnvironment();
    }

    /** The threshold to decide with and where it came from. */
    public record Threshold(double value, String source) {}

    static Threshold threshold(RecognitionModelSpec spec, Double override) {
        if (override != null) {
            if (!(override > -1 && override < 1)) {
                throw new UserException("--threshold must be in (-1, 1), got " + override);
            }
            return new Threshold(override, "command line");
        }
        OptionalDouble calibrated = ThresholdStore.fromEnvironment().calibrated(spec.id());
        if (calibrated.isPresent()) {
            return new Threshold(calibrated.getAsDouble(), "calibrated on this machine (XSSAB_HOME/thresholds.json)");
        }
        return new Threshold(spec.defaultThreshold(), "model default: " + spec.thresholdSource());
    }
}
