package dev.xssab.chaos.bench;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.OrtScorer;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code xssab bench}: the engines on this machine, ONNX Runtime and DJL scoring beside DJL's
 * explanation, in interleaved rounds, and whether native memory grows over many calls.
 */
public final class EngineBench implements AutoCloseable {
    /** The aligned faces of the photos and the mean preprocessing time per photo (after one warm-up). */
    public record Preprocessed(List<RgbImage> faces, double msPerImage) {}

    /** Per pair: the ONNX Runtime score, the DJL score and the DJL explanation, and the explanation's cost over each score. */
    public record BatchTiming(int batch, double ortMs, double djlMs, double explainMs, double explainOverDjl, double explainOverOrt) {}

    /** Live NDArrays before and after the calls, and the RSS after the allocator's warm-up (100 calls) and at the end. */
    public record NativeMemory(int calls, int arraysBefore, int arraysAfter, long rssKbWarm, long rssKbAfter) {}

    private final RecognitionModelSpec spec;
    private final XssabEngine engine;
    private final OrtScorer ort;

    private EngineBench(RecognitionModelSpec spec, XssabEngine engine, OrtScorer ort) {
        this.spec = spec;
        this.engine = engine;
        this.ort = ort;
    }

    /** Decode, detect, find landmarks and align each photo; the first once more before the clock starts. */
    public static Preprocessed preprocess(ModelStore store, RecognitionModelSpec spec, List<Path> photos)
            throws IOException, PreprocessingException {
        List<RgbImage> faces = new ArrayList<>();
        long t0;
        try (FacePreprocessor pre = FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT)) {
            pre.preprocess(Files.readAllBytes(photos.get(0))); // warm-up
            t0 = System.nanoTime();
            for (Path f : photos) {
                faces.add(pre.preprocess(Files.readAllBytes(f)).image());
            }
        }
        return new Preprocessed(faces, (System.nanoTime() - t0) / 1e6 / photos.size());
    }

    /** Loads the DJL engine and the ONNX Runtime scorer of the model. */
    public static EngineBench load(RecognitionModelSpec spec, ModelStore store) throws IOException {
        XssabEngine engine = XssabEngine.load(spec, store);
        try {
            return new EngineBench(spec, engine, new OrtScorer(spec, store, 0));
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public String device() {
        return String.valueOf(engine.device());
    }

    /** Batches of {@code batch} pairs of consecutive faces, after one untimed call of each. */
    public BatchTiming time(List<RgbImage> faces, int batch, int rounds) throws InferenceException {
        List<FacePair> pairs = new ArrayList<>();
        for (int k = 0; k < batch; k++) {
            pairs.add(new FacePair(faces.get(k % faces.size()), faces.get((k + 1) % faces.size())));
        }
        double t = spec.defaultThreshold();
        ort.score(pairs);
        engine.score(pairs);
        engine.explain(pairs, t);
        double ortMs = 0;
        double djlMs = 0;
        double explainMs = 0;
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
        return new BatchTiming(batch, ortMs / perPair, djlMs / perPair, explainMs / perPair, explainMs / djlMs, explainMs / ortMs);
    }

    /**
     * {@code calls} explain+score calls of one pair; {@code step} runs after each (a progress bar).
     * The RSS is taken again after 100 calls, once the allocator has warmed up.
     */
    public NativeMemory nativeMemory(RgbImage probe, RgbImage reference, int calls, Runnable step) throws InferenceException {
        List<FacePair> one = List.of(new FacePair(probe, reference));
        double t = spec.defaultThreshold();
        engine.explain(one, t);
        int arrays = engine.liveNativeArrays();
        long rssWarm = rssKb();
        for (int i = 0; i < calls; i++) {
            engine.explain(one, t);
            engine.score(one);
            if (i == Math.min(100, calls - 1)) {
                rssWarm = rssKb(); // after allocator warm-up
            }
            step.run();
        }
        return new NativeMemory(calls, arrays, engine.liveNativeArrays(), rssWarm, rssKb());
    }

    @Override
    public void close() {
        try {
            ort.close();
        } finally {
            engine.close();
        }
    }

    /** The resident memory of this process in KiB, or -1 where /proc/self/status does not exist (not Linux). */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS figure
        }
        return -1;
    }
}
