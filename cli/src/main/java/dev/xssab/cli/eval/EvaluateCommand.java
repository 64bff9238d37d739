package dev.xssab.cli.eval;

import dev.xssab.cli.ModelOptions;
import dev.xssab.cli.ProgressBar;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.cli.service.Stack;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.evaluator.Calibration;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.Strategy;
import dev.xssab.evaluator.dataset.Dataset;
import dev.xssab.evaluator.dataset.DatasetLoader;
import dev.xssab.evaluator.replay.EvaluationInputs;
import dev.xssab.evaluator.replay.EvaluationRun;
import dev.xssab.evaluator.replay.RunDirectory;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.Topics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xssab evaluate}: the xSSAB paper's protocol replayed through the production topics
 * ({@link EvaluationRun}); this command parses, starts the local stack if asked, and prints.
 *
 * <ol>
 *   <li>Per model: align every image once (cached), calibrate t on the original pairs (the
 *       reference's EER rule: scikit-learn's corner-point ROC, then argmin |1 - TAR - FAR|, rounded
 *       down by at most 1e-6) and record it with the run, with the scores (for the DET curve). t is
 *       never published as the model's threshold: every request carries it as its own evaluation
 *       threshold.</li>
 *   <li>Send every original pair (score only) and every Patch-LFW pair (explained).</li>
 *   <li>When a patched pair's explanation arrives, build its replacement variants from the
 *       combined map of image 1 (best_worst) and from a seeded order (random), for each
 *       percentage, and send them score-only.</li>
 * </ol>
 * Every request is tagged with the run and its cell; the aggregates topology turns results into
 * FMR/FNMR at the run's t. Request ids are deterministic (run/model/variant/strategy/percentage/pair):
 * a second call with the same run resumes, sending only what has no outcome yet.
 */
@Command(name = "evaluate", description = "Replay originals, Patch-LFW and pixel-replacement variants through the pipeline.")
public final class EvaluateCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Option(names = "--dataset", required = true, description = "lfw:DIR, csv:DIR, aligned:DIR (or ref:DIR: aligned crops,"
            + " no detection) or patchlfw:DIR (a Patch-LFW on disk, replayed as it is).")
    String dataset;

    @Option(names = "--models", split = ",", paramLabel = "ID,ID", description = "Several built-in models in one run: one"
            + " calibration and every variant per model (the local stack's explainer serves every built-in).")
    List<String> models;

    @picocli.CommandLine.Mixin
    ModelOptions model;

    @Option(names = "--random-order", paramLabel = "shared|per-pair", description = "The random baseline's pixel order:"
            + " shared (one permutation for every pair, as the reference; default) or per-pair.")
    String randomOrder = "shared";

    @Option(names = "--strategies", split = ",", description = "best_worst and/or random (default: ${DEFAULT-VALUE}).")
    List<String> strategies = List.of("best_worst", "random");

    @Option(names = "--steps", description = "Percentages FROM..TO/STEP (default: ${DEFAULT-VALUE}).")
    String steps = "5..95/5";

    @Option(names = "--seed", description = "Seed of Patch-LFW and the random orders (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--run", description = "Run name; the same name resumes (default: derived from dataset, seed, grid).")
    String runName;

    @Option(names = "--timeout", description = "Longest wait for all outcomes, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofMinutes(120);

    @Option(names = "--no-up", description = "Do not start the local stack: use --bootstrap and --registry as they are.")
    boolean noUp;

    @picocli.CommandLine.Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, ClientSettings.GROUP);
    }

    static List<Integer> parseSteps(String spec) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\.\\.(\\d+)/(\\d+)").matcher(spec.trim());
        List<Integer> out = new ArrayList<>();
        if (m.matches()) {
            int from = Integer.parseInt(m.group(1));
            int to = Integer.parseInt(m.group(2));
            int step = Integer.parseInt(m.group(3));
            if (step <= 0 || from < 1 || to > 99 || from > to) {
                throw new UserException("--steps " + spec + ": need 1 <= FROM <= TO <= 99 and STEP > 0");
            }
            for (int p = from; p <= to; p += step) {
                out.add(p);
            }
            return out;
        }
        for (String s : spec.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    @Override
    public Integer call() throws Exception {
        List<Integer> percentages = parseSteps(steps);
        List<Strategy> chosen = parsed(() -> Strategy.parseAll(strategies));
        EvaluationRun.RandomOrder order = parsed(() -> EvaluationRun.RandomOrder.parse(randomOrder));
        List<RecognitionModelSpec> specs = modelSpecs();
        Dataset data = parsed(() -> DatasetLoader.load(dataset));
        RunDirectory run = runName != null ? RunDirectory.of(runName)
                : RunDirectory.of(RunDirectory.defaultName(dataset, data.name(), seed, percentages, chosen, order));
        System.err.println("run " + run.run() + ": " + data.pairs().size() + " pairs, models " + specs.stream()
                .map(RecognitionModelSpec::id).toList() + ", strategies " + chosen + ", steps " + percentages + ", random order "
                + randomOrder);
        ModelStore store = ModelStore.fromEnvironment();
        List<Prepared> prepared = new ArrayList<>();
        for (RecognitionModelSpec spec : specs) {
            prepared.add(prepare(data, spec, store, run));
        }
        if (!noUp) {
            Stack.up(Duration.ofMinutes(3));
        }
        run.write(record(run.run(), prepared, percentages, chosen));
        String requestTopic = new ClientSettings(service.config()).principal().map(Topics::requestsFrom).orElse(Topics.REQUESTS);
        boolean complete = true;
        for (Prepared p : prepared) {
            EvaluationRun.Plan plan = new EvaluationRun.Plan(run.run(), p.spec().id(), data.name(), chosen, percentages, seed,
                    requestTopic, order);
            complete &= replay(plan, p);
        }
        System.out.printf(Locale.ROOT, "run          %s%n", run.run());
        System.out.printf(Locale.ROOT, "next         ./xssab report %s --out out/report-%s%n", run.run(), run.run());
        return complete ? 0 : 1;
    }

    /** One model's share of the run: its aligned inputs and its calibration. */
    private record Prepared(RecognitionModelSpec spec, EvaluationInputs inputs, Calibration calibration) {}

    /** A parse that refuses bad input as the user's mistake, with the parser's message. */
    private static <T> T parsed(Callable<T> parse) throws Exception {
        try {
            return parse.call();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    private List<RecognitionModelSpec> modelSpecs() throws IOException {
        if (models == null || models.isEmpty()) {
            return List.of(model.spec());
        }
        if (model.modelId != null || model.modelSpec != null) {
            throw new UserException("give --models, or --model / --model-spec, not both");
        }
        List<RecognitionModelSpec> specs = new ArrayList<>();
        for (String id : new LinkedHashSet<>(models)) {
            specs.add(ModelOptions.byId(id.trim()));
        }
        return specs;
    }

    /** Aligns for the model, scores the originals, keeps the scores with the run and calibrates t on them. */
    private Prepared prepare(Dataset data, RecognitionModelSpec spec, ModelStore store, RunDirectory run) throws Exception {
        ProgressBar aligning = new ProgressBar("aligning for " + spec.id(), data.images().size());
        EvaluationInputs in = parsed(() -> EvaluationInputs.prepare(data, spec, store, seed, aligning::step));
        aligning.done();
        in.excluded().forEach(e -> System.err.println("excluded for " + spec.id() + " (not aligned): " + e));
        if (in.pairs().isEmpty()) {
            throw new UserException("no pair of " + dataset + " could be aligned for " + spec.id());
        }
        LabelledScores scores = EvaluationRun.scoreOriginals(in, spec, store);
        run.writeScores(spec.id(), scores);
        Calibration c = Calibration.fromScores(scores.scores(), scores.genuine());
        System.err.printf(Locale.ROOT, "%s: calibrated t = %.6f on %d original pairs (EER %.4f, the reference's rule); carried"
                + " by every request, the model's live threshold stays as it is%n", spec.id(), c.decisionThreshold(),
                in.pairs().size(), c.eer());
        return new Prepared(spec, in, c);
    }

    /** Sends the model's share of the run at its t and prints how it ended; true if every outcome came. */
    private boolean replay(EvaluationRun.Plan plan, Prepared p) throws Exception {
        double t = p.calibration().decisionThreshold();
        int expected = p.inputs().pairs().size() * (2 + plan.strategies().size() * plan.percentages().size());
        ProgressBar bar = new ProgressBar("evaluating " + p.spec().id(), expected);
        EvaluationRun.Summary summary = EvaluationRun.replay(service.clients(), service.topics(), plan, t, p.inputs(), timeout,
                bar::step);
        bar.done();
        System.out.printf(Locale.ROOT, "model        %s%n", p.spec().id());
        System.out.printf(Locale.ROOT, "threshold    %.6f (EER %.4f on the originals)%n", t, p.calibration().eer());
        System.out.printf(Locale.ROOT, "outcomes     %d of %d (%d rejected)%n", summary.outcomes(), summary.expected(),
                summary.rejected());
        return summary.complete();
    }

    private RunDirectory.RunRecord record(String run, List<Prepared> prepared, List<Integer> percentages, List<Strategy> chosen) {
        Map<String, RunDirectory.ModelRecord> byModel = new LinkedHashMap<>();
        for (Prepared p : prepared) {
            byModel.put(p.spec().id(), new RunDirectory.ModelRecord(p.inputs().pairs().size(), p.calibration().decisionThreshold(),
                    p.calibration().eer(), "reference", p.inputs().excluded()));
        }
        return new RunDirectory.RunRecord(run, dataset, byModel, seed, randomOrder, percentages,
                chosen.stream().map(Strategy::tag).toList(), Instant.now().toString());
    }
}
