package dev.xssab.cli.bench;

import dev.xssab.cli.UserException;
import dev.xssab.chaos.bench.FacePhotos;
import dev.xssab.chaos.bench.GatewayBench;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import static dev.xssab.chaos.bench.Samples.mean;
import static dev.xssab.chaos.bench.Samples.median;
import static dev.xssab.chaos.bench.Samples.percentile;

/**
 * {@code xssab bench-gateway}: the gateway's preprocessing on real photos, step by step, beside
 * the old ImageIO decode and the ONNX Runtime score of a pair ({@link GatewayBench}).
 */
@Command(name = "bench-gateway", description = "Preprocessing ms per image by step, the decode speed-up over ImageIO, and"
        + " preprocessing per pair over scoring per pair.")
public final class BenchGatewayCommand implements Callable<Integer> {
    @Option(names = "--images", description = "Folder of face photos (default: ${DEFAULT-VALUE}).")
    Path images = Path.of("../shared/faces/deepface");

    @Option(names = "--rounds", description = "Timed rounds over all photos (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Override
    public Integer call() throws Exception {
        List<byte[]> photos = FacePhotos.read(FacePhotos.list(images, FacePhotos.JPEG_PNG_BMP));
        if (photos.size() < 2) {
            throw new UserException("--images " + images + " needs at least 2 face photos");
        }
        GatewayBench.Timings t = GatewayBench.run(ModelStore.fromEnvironment(), RecognitionModelSpec.frFeature(), photos, rounds);
        System.out.printf(Locale.ROOT, "%d photos, %d rounds; the bordered second detector pass ran for %s images%n",
                t.photos(), t.rounds(), t.bordered());
        System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s%n", "step (ms per image)", "median", "p90", "mean");
        for (var e : t.steps().entrySet()) {
            row(e.getKey(), e.getValue());
        }
        row("preprocess (all)", t.perImage());
        row("ImageIO decode (old)", t.imageIo());
        row("pair, both in parallel", t.perPair());
        row("ONNX score per pair", t.scorePerPair());
        printRatios(t);
        return 0;
    }

    private static void printRatios(GatewayBench.Timings t) {
        // Over all photos (means): the time a stream of these photos takes, which is what throughput feels.
        double decode = mean(t.steps().get("decode"));
        System.out.printf(Locale.ROOT, "decode speed-up over ImageIO %.1fx (OpenCV %.1f ms vs ImageIO %.1f ms per image, mean;"
                + " medians %.1f vs %.1f)%n", mean(t.imageIo()) / decode, decode, mean(t.imageIo()), median(t.steps().get("decode")),
                median(t.imageIo()));
        System.out.printf(Locale.ROOT, "preprocess/score ratio %.2f (pair prepared %.1f ms / pair scored %.1f ms, median)%n",
                median(t.perPair()) / median(t.scorePerPair()), median(t.perPair()), median(t.scorePerPair()));
        System.out.printf(Locale.ROOT, "sequential preprocess/score ratio %.2f (2 x %.1f ms per image, one core)%n",
                2 * median(t.perImage()) / median(t.scorePerPair()), median(t.perImage()));
    }

    private static void row(String name, List<Double> ms) {
        System.out.printf(Locale.ROOT, "%-22s %9.1f %9.1f %9.1f%n", name, median(ms), percentile(ms, 0.9), mean(ms));
    }
}
