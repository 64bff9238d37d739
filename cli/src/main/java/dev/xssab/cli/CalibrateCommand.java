package dev.xssab.cli;

import dev.xssab.config.Setting;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.kafka.client.ThresholdPublisher;
import dev.xssab.evaluator.Calibration;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.OperatingPoint;
import dev.xssab.evaluator.report.DetCurve;
import dev.xssab.evaluator.LabelledPair;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.PairScorer;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.schemas.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xssab calibrate}: EER threshold of the model on a labelled pair list, stored per model. */
@Command(name = "calibrate", description = "Find the EER threshold on labelled pairs and store it for the model.")
final class CalibrateCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
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
    public java.util.Set<Setting.Group> settingGroups() {
        return java.util.EnumSet.of(Setting.Group.KAFKA, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.CLIENT);
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(pairsCsv)) {
            throw new UserException("--pairs " + pairsCsv + " does not exist");
        }
        if (!Files.isDirectory(images)) {
            throw new UserException("--images " + images + " is not a folder");
        }
        RecognitionModelSpec spec = model.spec();
        ModelStore store = model.store();
        List<LabelledPair> pairs = PairsCsv.read(pairsCsv);
        Set<String> names = new LinkedHashSet<>();
        pairs.forEach(p -> {
            names.add(p.first());
            names.add(p.second());
        });
        Map<String, RgbImage> aligned = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        ProgressBar bar = new ProgressBar("aligning", names.size());
        try (FacePreprocessor pre = FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT)) {
            for (String name : names) {
                Path file = images.resolve(name);
                try {
                    aligned.put(name, pre.preprocess(PairInputs.read(file)).image());
                } catch (PreprocessingException e) {
                    failed.add(name + " (" + e.reason() + ": " + e.getMessage() + ")");
                }
                bar.step();
            }
        }
        bar.done();
        for (String f : failed) {
            System.err.println("excluded: " + f);
        }
        List<Double> scores = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        int skipped = 0;
        try (PairScorer scorer = PairScorer.open(spec, store)) {
            for (LabelledPair p : pairs) {
                RgbImage a = aligned.get(p.first());
                RgbImage b = aligned.get(p.second());
                if (a == null || b == null) {
                    skipped++;
                    continue;
                }
                scores.add(scorer.score(List.of(new FacePair(a, b)))[0]);
                labels.add(p.genuine());
            }
        }
        double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] g = new boolean[labels.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = labels.get(i);
        }
        Calibration.EerMode mode = switch (eerMode) {
            case "reference" -> Calibration.EerMode.REFERENCE;
            case "all-scores" -> Calibration.EerMode.ALL_SCORES;
            default -> throw new UserException("--eer-mode takes reference or all-scores, not " + eerMode);
        };
        OperatingPoint point = null;
        if (targetFmr != null) {
            point = OperatingPoint.atTargetFmr(s, g, targetFmr, resamples, seed); // refuses what the data cannot support
        }
        Calibration c = Calibration.fromScores(s, g, mode);
        double minGenuine = Double.MAX_VALUE;
        double maxImpostor = -Double.MAX_VALUE;
        for (int i = 0; i < s.length; i++) {
            if (g[i]) {
                minGenuine = Math.min(minGenuine, s[i]);
            } else {
                maxImpostor = Math.max(maxImpostor, s[i]);
            }
        }
        System.out.printf(Locale.ROOT, "model       %s%n", spec.id());
        System.out.printf(Locale.ROOT, "pairs       %d (%d genuine, %d impostor)%s%n", s.length, c.genuine(), c.impostor(),
                skipped > 0 ? "; " + skipped + " skipped for excluded images" : "");
        System.out.printf(Locale.ROOT, "EER         %.4f  (FMR %.4f, FNMR %.4f at the threshold)%n", c.eer(), c.fmr(), c.fnmr());
        double stored = c.decisionThreshold();
        System.out.printf(Locale.ROOT, "threshold   %.6f  (EER point %.9f, rounded down; %s ROC)%n", stored, c.threshold(), eerMode);
        System.out.printf(Locale.ROOT, "accuracy    %.4f%n", c.accuracy());
        System.out.printf(Locale.ROOT, "scores      lowest genuine %.4f, highest impostor %.4f%n", minGenuine, maxImpostor);
        for (double f : new double[] {1e-2, 1e-3, 1e-4}) {
            if (OperatingPoint.supported(f, c.impostor())) {
                OperatingPoint at = OperatingPoint.atTargetFmr(s, g, f, resamples, seed);
                System.out.printf(Locale.ROOT, "FNMR@FMR=%s  %.4f at t=%.6f%n", f, at.fnmr(), at.threshold());
            } else {
                System.out.printf(Locale.ROOT, "FNMR@FMR=%s  not supported: needs %d impostor pairs, these data have %d%n", f,
                        OperatingPoint.impostorsNeeded(f), c.impostor());
            }
        }
        if (point != null) {
            System.out.printf(Locale.ROOT, "target FMR  %s: threshold %.6f, FMR %.4f [%.4f, %.4f], FNMR %.4f [%.4f, %.4f]"
                    + " (95%% bootstrap intervals, %d resamples of the pairs, seed %d)%n", point.target(), point.threshold(),
                    point.fmr(), point.fmrCi()[0], point.fmrCi()[1], point.fnmr(), point.fnmrCi()[0], point.fnmrCi()[1],
                    point.resamples(), point.seed());
            stored = point.threshold();
        }
        if (out != null) {
            LabelledScores data = new LabelledScores(s, g);
            Files.createDirectories(out);
            data.write(out.resolve("scores.csv"));
            List<Path> det = DetCurve.write(out, "det", "DET: " + spec.id() + " on " + pairsCsv.getFileName(),
                    List.of(DetCurve.of(spec.id(), data)));
            System.out.printf("DET curve   %s, %s%n", det.get(0), det.get(1));
        }
        if (!noStore) {
            String how = point == null ? "eer (" + eerMode + ")" : "target-fmr " + point.target();
            ThresholdStore.fromEnvironment().store(spec.id(), stored, new ThresholdStore.Provenance(how,
                    pairsCsv.toAbsolutePath().toString(), c.genuine(), c.impostor(), c.eer(), java.time.Instant.now().toString()));
            System.out.printf("stored      threshold for %s in XSSAB_HOME/thresholds.json (%s, %d genuine, %d impostor pairs)%n",
                    spec.id(), how, c.genuine(), c.impostor());
        }
        if (publish) {
            String data = pairsCsv.toAbsolutePath() + " (" + c.genuine() + " genuine, " + c.impostor() + " impostor pairs)";
            ThresholdPublisher.publish(service.clients(), service.topics(), ModelThreshold.newBuilder().setModelId(spec.id())
                    .setThreshold(stored).setSource(point == null ? String.format(Locale.ROOT, "xssab calibrate: EER %.4f (%s)",
                            c.eer(), eerMode) : String.format(Locale.ROOT, "xssab calibrate: target FMR %s, FMR %.4f, FNMR %.4f",
                            point.target(), point.fmr(), point.fnmr()))
                    .setUpdatedAtMs(java.time.Instant.now()).setSetBy(ThresholdCommand.operator(service)).setMode(point == null ? "eer" : "target-fmr")
                    .setDataset(data).build());
            System.out.printf("published   threshold for %s as its live threshold%n", spec.id());
        }
        return 0;
    }
}
