package dev.xssab.cli.eval;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ProgressBar;
import dev.xssab.evaluator.replay.EvaluationInputs;
import dev.xssab.evaluator.dataset.DatasetLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xssab patchlfw}: Patch-LFW on disk, in the reference's layout: numbered aligned
 * originals in {@code original/} and the patched image 1 of every pair under the same name in
 * {@code patched/} (PNG, lossless, so patches stay exact), {@code pairs.txt} with
 * {@code a b 1|-1}, and {@code patches.csv} logging every patch's position and source image.
 * {@code --dataset patchlfw:DIR} replays it without patching again.
 */
@Command(name = "patchlfw", description = "Write the Patch-LFW variant of a dataset (reference layout).")
public final class PatchLfwCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "lfw:DIR, csv:DIR or aligned:DIR")
    String dataset;

    @picocli.CommandLine.Mixin
    ModelOptions model;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}); the same seed gives byte-identical images.")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        var data = DatasetLoader.load(dataset);
        ProgressBar aligning = new ProgressBar("aligning", data.images().size());
        EvaluationInputs in = EvaluationInputs.prepare(data, model.spec(), model.store(), seed, aligning::step);
        aligning.done();
        Files.createDirectories(out.resolve("original"));
        Files.createDirectories(out.resolve("patched"));
        try (PrintWriter pairs = new PrintWriter(Files.newBufferedWriter(out.resolve("pairs.txt")));
                PrintWriter patches = new PrintWriter(Files.newBufferedWriter(out.resolve("patches.csv")))) {
            patches.println("pair,patch,x,y,size,source_image");
            int n = 0;
            for (EvaluationInputs.PreparedPair p : in.pairs()) {
                String a = n + ".png";
                String b = (n + 1) + ".png";
                // The reference's layout: originals (its data_path_L), patched image 1 under the same name (data_path_R).
                Files.write(out.resolve("original").resolve(a), EvaluationInputs.png(p.first()));
                Files.write(out.resolve("original").resolve(b), p.secondPng());
                Files.write(out.resolve("patched").resolve(a), EvaluationInputs.png(p.patched().image()));
                pairs.println(a + " " + b + " " + (p.pair().genuine() ? "1" : "-1"));
                for (int k = 0; k < p.patched().patches().size(); k++) {
                    var q = p.patched().patches().get(k);
                    patches.println(p.index() + "," + k + "," + q.x() + "," + q.y() + ",16,"
                            + in.dataset().images().get(q.sourceImage()).file().getFileName());
                }
                n += 2;
            }
        }
        in.excluded().forEach(e -> System.err.println("excluded: " + e));
        System.out.println("wrote " + in.pairs().size() + " patched pairs to " + out + " (pairs.txt, original/, patched/,"
                + " patches.csv); replay them with --dataset patchlfw:" + out);
        return 0;
    }
}
