package dev.xssab.cli.eval;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ProgressBar;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.cli.ops.ThresholdCommand;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.evaluator.Calibration;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.OperatingPoint;
import dev.xssab.evaluator.dataset.Dataset;
import dev.xssab.evaluator.dataset.DatasetLoader;
import dev.xssab.evaluator.replay.EvaluationInputs;
import dev.xssab.evaluator.replay.EvaluationRun;
import dev.xssab.evaluator.report.DetCurve;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.kafka.client.ThresholdPublisher;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.schemas.avro.ModelThreshold;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xssab calibrate}: EER threshold of the model on a labelled pair list, stored per model. */
@Command(name = "calibrate", description = "Find the EER threshold on labelled pairs and store it for the model.")
public final class CalibrateCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Option(names = "--pairs", required = true, paramLabel = "CSV", description = "Pair list: file_x,file_y,Decision (Yes/No).")
    Path pairsCsv;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder the pair list's file names are relative to.")
    Path images;

    @Option(names = "--no-store", description = "Print only; do not store the threshold.")
    boolean noStore;

    @Option(names = "--eer-mode", description = "reference (scikit-learn's roc_curve corner points, as the xSSAB"
            + " reference; default) or all-scores (every distinct score a candidate).")
    String eerMode = "reference";

    @Option(names = "--target-fmr", paramLabel = "F", description = "Pick the lowest threshold whose FMR on the impostor pairs"
            + " is at most F (instead of the EER), with 95% bootstrap intervals of FMR and FNMR.")
    Double targetFmr;

    @Option(names = "--resamples", description = "Bootstrap resamples for the intervals (default: ${DEFAULT-VALUE}).")
    int resamples = 1000;

    @Option(names = "--seed", description = "Seed of the resampling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the DET curve (FNMR against FMR, log axes) as"
            + " det.png and det.svg, and the scores as scores.csv, into DIR.")
    Path out;

    @Option(names = "--publish", description = "Also publish the threshold as the model's live threshold on the cluster"
            + " (an operator action: every explainer uses it from its next batch).")
    boolean publish;

    @Mixin
    ModelOptions model;

    @Mixin
    ServiceOptions service;

    @Override
    public java.util.List<SettingGroup> settingGroups() {
        return java.util.List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, ClientSettings.GROUP);
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(pairsCsv)) {
            throw new UserException("--pairs " + pairsCsv + " does not exist");
        }
        if (!Files.isDirectory(images)) {
            throw new UserException("--images " + images + " is not a folder");
        }
        Calibration.EerMode mode = eerMode();
        RecognitionModelSpec spec = model.spec();
        Scored scored = score(spec, model.store());
        LabelledScores data = scored.scores();
        // Refuses, before anything is printed, a target the impostor pairs cannot support.
        OperatingPoint point = targetFmr == null ? null
                : OperatingPoint.atTargetFmr(data.scores(), data.genuine(), targetFmr, resamples, seed);
        Calibration c = Calibration.fromScores(data.scores(), data.genuine(), mode);
        printCalibration(spec, scored, c);
        printOperatingPoints(data, c);
        double stored = c.decisionThreshold();
        if (point != null) {
            printTarget(point);
            stored = point.threshold();
        }
        if (out != null) {
            writeDet(spec, data);
        }
        if (!noStore) {
            store(spec, stored, point, c);
        }
        if (publish) {
            publish(spec, stored, point, c);
        }
        return 0;
    }

    /** The original-pair scores, and how many pairs an unaligned image kept out. */
    private record Scored(LabelledScores scores, int skipped) {}

    private Calibration.EerMode eerMode() {
        try {
            return Calibration.EerMode.parse(eerMode);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    /** Aligns every photo once (the evaluator's cache) and scores every pair whose two images aligned. */
    private Scored score(RecognitionModelSpec spec, ModelStore store) throws Exception {
        Dataset dataset = DatasetLoader.csv(pairsCsv, images);
        ProgressBar bar = new ProgressBar("aligning", dataset.images().size());
        EvaluationInputs in = EvaluationInputs.prepare(dataset, spec, store, seed, bar::step);
        bar.done();
        in.excluded().forEach(e -> System.err.println("excluded: " + e));
        return new Scored(EvaluationRun.scoreOriginals(in, spec, store), dataset.pairs().size() - in.pairs().size());
    }

    private void printCalibration(RecognitionModelSpec spec, Scored scored, Calibration c) {
        double minGenuine = Double.MAX_VALUE;
        double maxImpostor = -Double.MAX_VALUE;
        LabelledScores data = scored.scores();
        for (int i = 0; i < data.scores().length; i++) {
            if (data.genuine()[i]) {
                minGenuine = Math.min(minGenuine, data.scores()[i]);
            } else {
                maxImpostor = Math.max(maxImpostor, data.scores()[i]);
            }
        }
        System.out.printf(Locale.ROOT, "model       %s%n", spec.id());
        System.out.printf(Locale.ROOT, "pairs       %d (%d genuine, %d impostor)%s%n", data.scores().length, c.genuine(), c.impostor(),
                scored.skipped() > 0 ? "; " + scored.skipped() + " skipped for excluded images" : "");
        System.out.printf(Locale.ROOT, "EER         %.4f  (FMR %.4f, FNMR %.4f at the threshold)%n", c.eer(), c.fmr(), c.fnmr());
        System.out.printf(Locale.ROOT, "threshold   %.6f  (EER point %.9f, rounded down; %s ROC)%n", c.decisionThreshold(),
                c.threshold(), eerMode);
        System.out.printf(Locale.ROOT, "accuracy    %.4f%n", c.accuracy());
        System.out.printf(Locale.ROOT, "scores      lowest genuine %.4f, highest impostor %.4f%n", minGenuine, maxImpostor);
    }

    /** FNMR at the usual FMR targets, or why these data cannot support one. */
    private void printOperatingPoints(LabelledScores data, Calibration c) {
        for (double f : new double[] {1e-2, 1e-3, 1e-4}) {
            if (OperatingPoint.supported(f, c.impostor())) {
                OperatingPoint at = OperatingPoint.atTargetFmr(data.scores(), data.genuine(), f, resamples, seed);
                System.out.printf(Locale.ROOT, "FNMR@FMR=%s  %.4f at t=%.6f%n", f, at.fnmr(), at.threshold());
            } else {
                System.out.printf(Locale.ROOT, "FNMR@FMR=%s  not supported: needs %d impostor pairs, these data have %d%n", f,
                        OperatingPoint.impostorsNeeded(f), c.impostor());
            }
        }
    }

    private static void printTarget(OperatingPoint point) {
        System.out.printf(Locale.ROOT, "target FMR  %s: threshold %.6f, FMR %.4f [%.4f, %.4f], FNMR %.4f [%.4f, %.4f]"
                + " (95%% bootstrap intervals, %d resamples of the pairs, seed %d)%n", point.target(), point.threshold(),
                point.fmr(), point.fmrCi()[0], point.fmrCi()[1], point.fnmr(), point.fnmrCi()[0], point.fnmrCi()[1],
                point.resamples(), point.seed());
    }

    private void writeDet(RecognitionModelSpec spec, LabelledScores data) throws Exception {
        Files.createDirectories(out);
        data.write(out.resolve("scores.csv"));
        List<Path> det = DetCurve.write(out, "det", "DET: " + spec.id() + " on " + pairsCsv.getFileName(),
                List.of(DetCurve.of(spec.id(), data)));
        System.out.printf("DET curve   %s, %s%n", det.get(0), det.get(1));
    }

    private void store(RecognitionModelSpec spec, double threshold, OperatingPoint point, Calibration c) throws Exception {
        String how = point == null ? "eer (" + eerMode + ")" : "target-fmr " + point.target();
        ThresholdStore.fromEnvironment().store(spec.id(), threshold, new ThresholdStore.Provenance(how,
                pairsCsv.toAbsolutePath().toString(), c.genuine(), c.impostor(), c.eer(), Instant.now().toString()));
        System.out.printf("stored      threshold for %s in XSSAB_HOME/thresholds.json (%s, %d genuine, %d impostor pairs)%n",
                spec.id(), how, c.genuine(), c.impostor());
    }

    /** The operator action that changes live decisions: the model's threshold on the cluster. */
    private void publish(RecognitionModelSpec spec, double threshold, OperatingPoint point, Calibration c) throws Exception {
        String data = pairsCsv.toAbsolutePath() + " (" + c.genuine() + " genuine, " + c.impostor() + " impostor pairs)";
        String source = point == null ? String.format(Locale.ROOT, "xssab calibrate: EER %.4f (%s)", c.eer(), eerMode)
                : String.format(Locale.ROOT, "xssab calibrate: target FMR %s, FMR %.4f, FNMR %.4f", point.target(), point.fmr(),
                        point.fnmr());
        ThresholdPublisher.publish(service.clients(), service.topics(), ModelThreshold.newBuilder().setModelId(spec.id())
                .setThreshold(threshold).setSource(source).setUpdatedAtMs(Instant.now()).setSetBy(ThresholdCommand.operator(service))
                .setMode(point == null ? "eer" : "target-fmr").setDataset(data).build());
        System.out.printf("published   threshold for %s as its live threshold%n", spec.id());
    }
}
