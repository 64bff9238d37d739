package dev.xssab.cli.ops;

import dev.xssab.cli.Json;
import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.PairArguments;
import dev.xssab.cli.PairInputs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.PairScorer;
import dev.xssab.models.RecognitionModelSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xssab verify}: score and decision only, on ONNX Runtime without gradients. */
@Command(name = "verify", description = "Score a pair and decide, on the fast path (ONNX Runtime, no maps).")
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    PairArguments pair;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        PairArguments.Prepared in = pair.prepare(model);
        RecognitionModelSpec spec = in.spec();
        ModelOptions.Threshold t = in.threshold();
        PairInputs.Aligned faces = in.faces();
        try (PairScorer scorer = PairScorer.open(spec, in.store())) {
            long t0 = System.nanoTime();
            double score = scorer.score(List.of(new FacePair(faces.probe().image(), faces.reference().image())))[0];
            double scoreMs = (System.nanoTime() - t0) / 1e6;
            ObjectNode json = pair.outcome(in, score, t.value());
            ObjectNode timings = json.putObject("timings_ms");
            timings.put("preprocess", Json.round(faces.millis(), 1));
            timings.put("score", Json.round(scoreMs, 1));
            timings.put("total", Json.round((System.nanoTime() - start) / 1e6, 1));
            Json.print(json);
        }
        return 0;
    }
}
