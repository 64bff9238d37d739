package dev.xssab.cli;

import dev.xssab.gateway.PreprocessingException;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments of the one-pair commands (explain, verify): two images, threshold, --aligned. */
final class PairArguments {
    @Parameters(index = "0", paramLabel = "PROBE", description = "Probe face image (JPEG, PNG, BMP).")
    Path probe;

    @Parameters(index = "1", paramLabel = "REFERENCE", description = "Reference face image.")
    Path reference;

    @Option(names = "--threshold", paramLabel = "T", description = "Decision threshold (default: calibrated, else the model's).")
    Double threshold;

    @Option(names = "--aligned", description = "Inputs are already aligned crops of the model's input size: skip detection.")
    boolean aligned;

    /** Everything a one-pair command needs before its model runs. */
    record Prepared(RecognitionModelSpec spec, ModelStore store, ModelOptions.Threshold threshold, PairInputs.Aligned faces) {}

    Prepared prepare(ModelOptions model) throws IOException, PreprocessingException {
        RecognitionModelSpec spec = model.spec();
        ModelStore store = model.store();
        ModelOptions.Threshold t = ModelOptions.threshold(spec, threshold);
        return new Prepared(spec, store, t, PairInputs.align(probe, reference, aligned, store, spec));
    }
}
