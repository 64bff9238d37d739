package dev.xssab.cli;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.OrtScorer;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Speed and memory of the engines on this machine. Every number that matters is a ratio of two
 * timings taken in the same run, so a noisy machine shifts both sides alike.
 */
@Command(name = "bench", description = "Time preprocessing, scoring (ONNX Runtime and DJL) and explanation; check native memory.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--images", description = "Folder of face photos (default: ../shared/faces/deepface).")
    Path images = Path.of("../shared/faces/deepface");

    @Option(names = "--rounds", description = "Timed rounds per measurement (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--leak-calls", description = "explain+score calls for the native-memory check (default: ${DEFAULT-VALUE}; 0 skips).")
    int leakCalls = 10_000;

    @Override
    public Integer call() throws Exception {
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        ModelStore store = ModelStore.fromEnvironment();
        List<Path> files;
        try (Stream<Path> list = Files.list(images)) {
            files = list.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png|bmp)$")).sorted().toList();
        }
        if (files.size() < 2) {
            throw new UserException("--images " + images + " needs at least 2 face photos");
        }
        List<RgbImage> faces = new ArrayList<>();
        long t0 = System.nanoTime();
        try (FacePreprocessor pre = FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT)) {
            pre.preprocess(Files.readAllBytes(files.get(0))); // warm-up
            t0 = System.nanoTime();
            for (Path f : files) {
                faces.add(pre.preprocess(Files.readAllBytes(f)).image());
            }
        }
        double preprocessMs = (System.nanoTime() - t0) / 1e6 / files.size();
        System.out.printf("preprocessing (decode+detect+landmarks+align): %.1f ms/image over %d images%n",
                preprocessMs, files.size());

        try (XssabEngine engine = XssabEngine.load(spec, store); OrtScorer ort = new OrtScorer(spec, store, 0)) {
            double t = spec.defaultThreshold();
            System.out.printf("device: %s%n", engine.device());
            System.out.printf("%-6s %14s %14s %14s %16s %16s%n", "batch", "score ORT", "score DJL", "explain",
                    "explain/scoreDJL", "explain/scoreORT");
            for (int batch : new int[] {1, 8}) {
                List<FacePair> pairs = new ArrayList<>();
                for (int k = 0; k < batch; k++) {
                    pairs.add(new FacePair(faces.get(k % faces.size()), faces.get((k + 1) % faces.size())));
                }
                ort.score(pairs);
                engine.score(pairs);
                engine.explain(pairs, t);
                double ortMs = 0, djlMs = 0, explainMs = 0;
                // Interleaved rounds: a slow moment of the machine hits all three alike.
                for (int r = 0; r < rounds; r++) {
                    long a = System.nanoTime();
                    ort.score(pairs);
                    long b = System.nanoTime();
                    engine.score(pairs);
                    long c = System.nanoTime();
                    engine.explain(pairs, t);
                    long d = System.nanoTime();
                    ortMs += (b - a) / 1e6;
                    djlMs += (c - b) / 1e6;
                    explainMs += (d - c) / 1e6;
                }
                double perPair = (double) rounds * batch;
                System.out.printf("%-6d %11.1f ms %11.1f ms %11.1f ms %16.2f %16.2f%n", batch, ortMs / perPair,
                        djlMs / perPair, explainMs / perPair, explainMs / djlMs, explainMs / ortMs);
            }
            if (leakCalls > 0) {
                List<FacePair> one = List.of(new FacePair(faces.get(0), faces.get(1)));
                engine.explain(one, t);
                int arrays = engine.liveNativeArrays();
                long rssBefore = rssKb();
                ProgressBar bar = new ProgressBar("native-memory check", leakCalls);
                for (int i = 0; i < leakCalls; i++) {
                    engine.explain(one, t);
                    engine.score(one);
                    if (i == Math.min(100, leakCalls - 1)) {
                        rssBefore = rssKb(); // after allocator warm-up
                    }
                    bar.step();
                }
                bar.done();
                System.out.printf("native memory over %d explain+score calls: NDArrays %d -> %d, RSS %d MB (after 100 calls) -> %d MB%n",
                        leakCalls, arrays, engine.liveNativeArrays(), rssBefore / 1024, rssKb() / 1024);
            }
        }
        return 0;
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: no RSS figure
        }
        return -1;
    }
}
