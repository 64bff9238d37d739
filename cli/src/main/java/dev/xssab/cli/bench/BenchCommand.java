package dev.xssab.cli.bench;

import dev.xssab.cli.ProgressBar;
import dev.xssab.cli.UserException;
import dev.xssab.chaos.bench.EngineBench;
import dev.xssab.chaos.bench.FacePhotos;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Speed and memory of the engines on this machine ({@link EngineBench}). Every number that
 * matters is a ratio of two timings taken in the same run, so a noisy machine shifts both sides alike.
 */
@Command(name = "bench", description = "Time preprocessing, scoring (ONNX Runtime and DJL) and explanation; check native memory.")
public final class BenchCommand implements Callable<Integer> {
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
        List<Path> files = FacePhotos.list(images, FacePhotos.JPEG_PNG_BMP);
        if (files.size() < 2) {
            throw new UserException("--images " + images + " needs at least 2 face photos");
        }
        EngineBench.Preprocessed pre = EngineBench.preprocess(store, spec, files);
        System.out.printf("preprocessing (decode+detect+landmarks+align): %.1f ms/image over %d images%n",
                pre.msPerImage(), files.size());
        try (EngineBench bench = EngineBench.load(spec, store)) {
            System.out.printf("device: %s%n", bench.device());
            System.out.printf("%-6s %14s %14s %14s %16s %16s%n", "batch", "score ORT", "score DJL", "explain",
                    "explain/scoreDJL", "explain/scoreORT");
            for (int batch : new int[] {1, 8}) {
                EngineBench.BatchTiming t = bench.time(pre.faces(), batch, rounds);
                System.out.printf("%-6d %11.1f ms %11.1f ms %11.1f ms %16.2f %16.2f%n", batch, t.ortMs(), t.djlMs(), t.explainMs(),
                        t.explainOverDjl(), t.explainOverOrt());
            }
            if (leakCalls > 0) {
                ProgressBar bar = new ProgressBar("native-memory check", leakCalls);
                EngineBench.NativeMemory m = bench.nativeMemory(pre.faces().get(0), pre.faces().get(1), leakCalls, bar::step);
                bar.done();
                System.out.printf("native memory over %d explain+score calls: NDArrays %d -> %d, RSS %d MB (after 100 calls) -> %d MB%n",
                        m.calls(), m.arraysBefore(), m.arraysAfter(), m.rssKbWarm() / 1024, m.rssKbAfter() / 1024);
            }
        }
        return 0;
    }
}
