package dev.xssab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.OrtScorer;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.DecisionRule;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xssab verify}: score and decision only, on ONNX Runtime without gradients. */
@Command(name = "verify", description = "Score a pair and decide, on the fast path (ONNX Runtime, no maps).")
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROBE")
    Path probe;

    @Parameters(index = "1", paramLabel = "REFERENCE")
    Path reference;

    @Option(names = "--threshold", paramLabel = "T", description = "Decision threshold (default: calibrated, else the model's).")
    Double threshold;

    @Option(names = "--aligned", description = "Inputs are already aligned crops of the model's input size.")
    boolean aligned;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        RecognitionModelSpec spec = model.spec();
        ModelStore store = model.store();
        ModelOptions.Threshold t = ModelOptions.threshold(spec, threshold);
        PairInputs.Aligned faces = PairInputs.align(probe, reference, aligned, store, spec);
        try (OrtScorer scorer = new OrtScorer(spec, store, 0)) {
            long t0 = System.nanoTime();
            double score = scorer.score(List.of(new FacePair(faces.probe().image(), faces.reference().image())))[0];
            double scoreMs = (System.nanoTime() - t0) / 1e6;
            ObjectNode json = Json.object();
            json.put("probe", probe.toString());
            json.put("reference", reference.toString());
            json.put("model", spec.id());
            json.put("score", Json.round(score, 6));
            json.put("threshold", Json.round(t.value(), 6));
            json.put("threshold_source", t.source());
            json.put("decision", DecisionRule.decide(score, t.value()).name());
            ObjectNode timings = json.putObject("timings_ms");
            timings.put("preprocess", Json.round(faces.millis(), 1));
            timings.put("score", Json.round(scoreMs, 1));
            timings.put("total", Json.round((System.nanoTime() - start) / 1e6, 1));
            Json.print(json);
        }
        return 0;
    }
}
