package dev.xssab.cli.ops;

import dev.xssab.cli.Json;
import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.PairArguments;
import dev.xssab.cli.PairInputs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.render.ArgumentMaps;
import dev.xssab.explainer.FacePair;
import dev.xssab.render.PairExplanation;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.render.ExplanationPictures;
import dev.xssab.models.RecognitionModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xssab explain}: score, decision and xSSAB maps for one pair, as JSON plus PNGs. */
@Command(name = "explain", description = "Verify a pair and explain the decision with xSSAB maps.")
public final class ExplainCommand implements Callable<Integer> {
    @Mixin
    PairArguments pair;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the maps, overlays and a panel PNG here.")
    Path out;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        PairArguments.Prepared in = pair.prepare(model);
        RecognitionModelSpec spec = in.spec();
        ModelOptions.Threshold t = in.threshold();
        PairInputs.Aligned faces = in.faces();
        try (XssabEngine engine = XssabEngine.load(spec, in.store())) {
            long t0 = System.nanoTime();
            PairExplanation e = engine.explain(List.of(new FacePair(faces.probe().image(), faces.reference().image())),
                    t.value()).get(0);
            double explainMs = (System.nanoTime() - t0) / 1e6;
            ObjectNode json = pair.outcome(in, e.cosine(), e.threshold());
            json.put("device", String.valueOf(engine.device()));
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
