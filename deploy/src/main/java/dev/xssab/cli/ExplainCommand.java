package dev.xssab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.explainer.ArgumentMaps;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.PairExplanation;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.explainer.render.ExplanationPictures;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xssab explain}: score, decision and xSSAB maps for one pair, as JSON plus PNGs. */
@Command(name = "explain", description = "Verify a pair and explain the decision with xSSAB maps.")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROBE", description = "Probe face image (JPEG, PNG, BMP).")
    Path probe;

    @Parameters(index = "1", paramLabel = "REFERENCE", description = "Reference face image.")
    Path reference;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the maps, overlays and a panel PNG here.")
    Path out;

    @Option(names = "--threshold", paramLabel = "T", description = "Decision threshold (default: calibrated, else the model's).")
    Double threshold;

    @Option(names = "--aligned", description = "Inputs are already aligned crops of the model's input size: skip detection.")
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
        try (XssabEngine engine = XssabEngine.load(spec, store)) {
            long t0 = System.nanoTime();
            PairExplanation e = engine.explain(List.of(new FacePair(faces.probe().image(), faces.reference().image())),
                    t.value()).get(0);
            double explainMs = (System.nanoTime() - t0) / 1e6;
            ObjectNode json = Json.object();
            json.put("probe", probe.toString());
            json.put("reference", reference.toString());
            json.put("model", spec.id());
            json.put("device", engine.device().toString());
            json.put("score", Json.round(e.cosine(), 6));
            json.put("threshold", Json.round(e.threshold(), 6));
            json.put("threshold_source", t.source());
            json.put("decision", e.decision().name());
            json.set("probe_to_reference", direction(e.probeMaps()));
            json.set("reference_to_probe", direction(e.referenceMaps()));
            if (out != null) {
                Map<String, Path> files = ExplanationPictures.write(out, faces.probe().image(), faces.reference().image(),
                        e, spec.id());
                ObjectNode outputs = json.putObject("outputs");
                files.forEach((k, v) -> outputs.put(k, v.toString()));
            }
            ObjectNode timings = json.putObject("timings_ms");
            timings.put("preprocess", Json.round(faces.millis(), 1));
            timings.put("explain", Json.round(explainMs, 1));
            timings.put("total", Json.round((System.nanoTime() - start) / 1e6, 1));
            Json.print(json);
            if (out == null) {
                System.err.println("(add --out DIR to write the maps and the panel as PNG)");
            }
        }
        return 0;
    }

    private static ObjectNode direction(ArgumentMaps m) {
        ObjectNode n = Json.object();
        n.put("s_plus", Json.round(m.sPlus(), 6));
        n.put("s_minus", Json.round(m.sMinus(), 6));
        return n;
    }
}
