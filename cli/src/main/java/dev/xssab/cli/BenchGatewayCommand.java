package dev.xssab.cli;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.OrtScorer;
import dev.xssab.faces.AlignedFace;
import dev.xssab.faces.FaceModels;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.faces.image.ImageDecoder;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xssab bench-gateway}: the gateway's preprocessing on real photos, step by step, beside
 * the old ImageIO decode and the ONNX Runtime score of a pair, all measured in one run so that the
 * ratios hold on a noisy machine.
 */
@Command(name = "bench-gateway", description = "Preprocessing ms per image by step, the decode speed-up over ImageIO, and"
        + " preprocessing per pair over scoring per pair.")
final class BenchGatewayCommand implements Callable<Integer> {
    @Option(names = "--images", description = "Folder of face photos (default: ${DEFAULT-VALUE}).")
    Path images = Path.of("../shared/faces/deepface");

    @Option(names = "--rounds", description = "Timed rounds over all photos (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Override
    public Integer call() throws Exception {
        List<byte[]> photos = new ArrayList<>();
        try (Stream<Path> list = Files.list(images)) {
            for (Path p : list.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png|bmp)$")).sorted().toList()) {
                photos.add(Files.readAllBytes(p));
            }
        }
        if (photos.size() < 2) {
            throw new UserException("--images " + images + " needs at least 2 face photos");
        }
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        ModelStore store = ModelStore.fromEnvironment();
        Map<String, List<Double>> steps = new LinkedHashMap<>();
        for (String s : List.of("decode", "detect", "landmarks", "align")) {
            steps.put(s, Collections.synchronizedList(new ArrayList<>()));
        }
        List<Double> perImage = new ArrayList<>();
        List<Double> perPair = new ArrayList<>();
        List<Double> imageIo = new ArrayList<>();
        List<Double> scorePerPair = new ArrayList<>();
        List<AlignedFace> aligned = new ArrayList<>();
        boolean[] recording = {false};
        String[] bordered = {""};
        FacePreprocessor.StepTimer timer = (step, nanos) -> {
            if (recording[0]) {
                steps.get(step).add(nanos / 1e6);
            }
        };
        try (FaceModels models = FaceModels.load(store, spec, DecodeLimits.DEFAULT, timer);
                OrtScorer scorer = new OrtScorer(spec, store, 0)) {
            FacePreprocessor pre = models.forCurrentThread();
            for (byte[] p : photos) { // warm-up, and the aligned faces for scoring
                aligned.add(pre.preprocess(p));
                ImageDecoder.decodeWithImageIo(p);
            }
            scorer.score(List.of(new FacePair(aligned.get(0).image(), aligned.get(1).image())));
            bordered[0] = pre.bordered();
            for (int r = 0; r < rounds; r++) {
                recording[0] = true;
                for (byte[] p : photos) {
                    long t0 = System.nanoTime();
                    pre.preprocess(p);
                    perImage.add((System.nanoTime() - t0) / 1e6);
                }
                recording[0] = false;
                for (byte[] p : photos) {
                    long t0 = System.nanoTime();
                    ImageDecoder.decodeWithImageIo(p);
                    imageIo.add((System.nanoTime() - t0) / 1e6);
                }
                // A pair as the gateway prepares it: the second image on a worker while the first is here.
                for (int i = 0; i + 1 < photos.size(); i += 2) {
                    byte[] second = photos.get(i + 1);
                    long t0 = System.nanoTime();
                    CompletableFuture<AlignedFace> other = CompletableFuture.supplyAsync(() -> {
                        try {
                            return models.forCurrentThread().preprocess(second);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, models.executor());
                    pre.preprocess(photos.get(i));
                    other.join();
                    perPair.add((System.nanoTime() - t0) / 1e6);
                }
                for (int i = 0; i + 1 < aligned.size(); i += 2) {
                    long t0 = System.nanoTime();
                    scorer.score(List.of(new FacePair(aligned.get(i).image(), aligned.get(i + 1).image())));
                    scorePerPair.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d photos, %d rounds; the bordered second detector pass ran for %s images%n",
                photos.size(), rounds, bordered[0]);
        System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s%n", "step (ms per image)", "median", "p90", "mean");
        for (var e : steps.entrySet()) {
            row(e.getKey(), e.getValue());
        }
        row("preprocess (all)", perImage);
        row("ImageIO decode (old)", imageIo);
        row("pair, both in parallel", perPair);
        row("ONNX score per pair", scorePerPair);
        // Over all photos (means): the time a stream of these photos takes, which is what throughput feels.
        double decode = mean(steps.get("decode"));
        System.out.printf(Locale.ROOT, "decode speed-up over ImageIO %.1fx (OpenCV %.1f ms vs ImageIO %.1f ms per image, mean;"
                + " medians %.1f vs %.1f)%n", mean(imageIo) / decode, decode, mean(imageIo), median(steps.get("decode")),
                median(imageIo));
        System.out.printf(Locale.ROOT, "preprocess/score ratio %.2f (pair prepared %.1f ms / pair scored %.1f ms, median)%n",
                median(perPair) / median(scorePerPair), median(perPair), median(scorePerPair));
        System.out.printf(Locale.ROOT, "sequential preprocess/score ratio %.2f (2 x %.1f ms per image, one core)%n",
                2 * median(perImage) / median(scorePerPair), median(perImage));
        return 0;
    }

    private static void row(String name, List<Double> ms) {
        System.out.printf(Locale.ROOT, "%-22s %9.1f %9.1f %9.1f%n", name, median(ms), percentile(ms, 0.9), mean(ms));
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double median(List<Double> xs) {
        return percentile(xs, 0.5);
    }

    static double percentile(List<Double> xs, double q) {
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
