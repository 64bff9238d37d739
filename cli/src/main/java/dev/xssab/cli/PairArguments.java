package dev.xssab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.DecisionRule;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments of the one-pair commands (explain, verify): two images, threshold, --aligned. */
public final class PairArguments {
    @Parameters(index = "0", paramLabel = "PROBE", description = "Probe face image (JPEG, PNG, BMP).")
    Path probe;

    @Parameters(index = "1", paramLabel = "REFERENCE", description = "Reference face image.")
    Path reference;

    @Option(names = "--threshold", paramLabel = "T", description = "Decision threshold (default: calibrated, else the model's).")
    Double threshold;

    @Option(names = "--aligned", description = "Inputs are already aligned crops of the model's input size: skip detection.")
    boolean aligned;

    /** Everything a one-pair command needs before its model runs. */
    public record Prepared(RecognitionModelSpec spec, ModelStore store, ModelOptions.Threshold threshold, PairInputs.Aligned faces) {}

    /** The fields verify and explain both print first: the inputs, the model, the score and the decision at t. */
    public ObjectNode outcome(Prepared in, double score, double threshold) {
        ObjectNode json = Json.object();
        json.put("probe", probe.toString());
        json.put("reference", reference.toString());
        json.put("model", in.spec().id());
        json.put("score", Json.round(score, 6));
        json.put("threshold", Json.round(threshold, 6));
        json.put("threshold_source", in.threshold().source());
        json.put("decision", DecisionRule.decide(score, threshold).name());
        return json;
    }

    public Prepared prepare(ModelOptions model) throws IOException, PreprocessingException {
        RecognitionModelSpec spec = model.spec();
        ModelStore store = model.store();
        ModelOptions.Threshold t = ModelOptions.threshold(spec, threshold);
        return new Prepared(spec, store, t, PairInputs.align(probe, reference, aligned, store, spec));
    }
}
