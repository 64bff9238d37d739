package dev.xssab.chaos.bench;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.OrtScorer;
import dev.xssab.faces.AlignedFace;
import dev.xssab.faces.FaceModels;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.faces.image.ImageDecoder;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code xssab bench-gateway}: the gateway's preprocessing on real photos, step by step, beside
 * the old ImageIO decode and the ONNX Runtime score of a pair, all measured in one run so that the
 * ratios hold on a noisy machine.
 */
public final class GatewayBench {
    /** The preprocessing steps the gateway times, in order. */
    public static final List<String> STEPS = List.of("decode", "detect", "landmarks", "align");

    /**
     * Milliseconds per sample: each step per image, a whole preprocessing per image, the ImageIO
     * decode per image, a pair prepared both images at once, and the score of a pair.
     *
     * @param bordered how many images needed the bordered second detector pass
     */
    public record Timings(int photos, int rounds, String bordered, Map<String, List<Double>> steps, List<Double> perImage,
            List<Double> imageIo, List<Double> perPair, List<Double> scorePerPair) {}

    private final List<byte[]> photos;
    private final Map<String, List<Double>> steps = new LinkedHashMap<>();
    private final List<Double> perImage = new ArrayList<>();
    private final List<Double> perPair = new ArrayList<>();
    private final List<Double> imageIo = new ArrayList<>();
    private final List<Double> scorePerPair = new ArrayList<>();
    private final List<AlignedFace> aligned = new ArrayList<>();
    private volatile boolean recording;

    private GatewayBench(List<byte[]> photos) {
        this.photos = photos;
        for (String s : STEPS) {
            steps.put(s, Collections.synchronizedList(new ArrayList<>()));
        }
    }

    /** Times {@code rounds} rounds over all photos (at least 2), after one untimed pass over them. */
    public static Timings run(ModelStore store, RecognitionModelSpec spec, List<byte[]> photos, int rounds)
            throws IOException, PreprocessingException, InferenceException {
        GatewayBench bench = new GatewayBench(photos);
        FacePreprocessor.StepTimer timer = (step, nanos) -> {
            if (bench.recording) {
                bench.steps.get(step).add(nanos / 1e6);
            }
        };
        try (FaceModels models = FaceModels.load(store, spec, DecodeLimits.DEFAULT, timer);
                OrtScorer scorer = new OrtScorer(spec, store, 0)) {
            FacePreprocessor pre = models.forCurrentThread();
            String bordered = bench.warmUp(pre, scorer);
            for (int r = 0; r < rounds; r++) {
                bench.round(models, pre, scorer);
            }
            return new Timings(photos.size(), rounds, bordered, bench.steps, bench.perImage, bench.imageIo, bench.perPair,
                    bench.scorePerPair);
        }
    }

    /** The first pass: warms every path up and keeps the aligned faces for scoring. */
    private String warmUp(FacePreprocessor pre, OrtScorer scorer) throws IOException, PreprocessingException, InferenceException {
        for (byte[] p : photos) {
            aligned.add(pre.preprocess(p));
            ImageDecoder.decodeWithImageIo(p);
        }
        scorer.score(List.of(new FacePair(aligned.get(0).image(), aligned.get(1).image())));
        return pre.bordered();
    }

    private void round(FaceModels models, FacePreprocessor pre, OrtScorer scorer)
            throws IOException, PreprocessingException, InferenceException {
        recording = true;
        for (byte[] p : photos) {
            long t0 = System.nanoTime();
            pre.preprocess(p);
            perImage.add((System.nanoTime() - t0) / 1e6);
        }
        recording = false;
        for (byte[] p : photos) {
            long t0 = System.nanoTime();
            ImageDecoder.decodeWithImageIo(p);
            imageIo.add((System.nanoTime() - t0) / 1e6);
        }
        for (int i = 0; i + 1 < photos.size(); i += 2) {
            perPair.add(preparePair(models, pre, photos.get(i), photos.get(i + 1)));
        }
        for (int i = 0; i + 1 < aligned.size(); i += 2) {
            long t0 = System.nanoTime();
            scorer.score(List.of(new FacePair(aligned.get(i).image(), aligned.get(i + 1).image())));
            scorePerPair.add((System.nanoTime() - t0) / 1e6);
        }
    }

    /** A pair as the gateway prepares it: the second image on a worker while the first is here; the ms it took. */
    private static double preparePair(FaceModels models, FacePreprocessor pre, byte[] first, byte[] second) throws PreprocessingException {
        long t0 = System.nanoTime();
        CompletableFuture<AlignedFace> other = CompletableFuture.supplyAsync(() -> {
            try {
                return models.forCurrentThread().preprocess(second);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, models.executor());
        pre.preprocess(first);
        other.join();
        return (System.nanoTime() - t0) / 1e6;
    }
}
