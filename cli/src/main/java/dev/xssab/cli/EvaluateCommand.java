package dev.xssab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.config.Setting;
import dev.xssab.evaluator.Calibration;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.dataset.Dataset;
import dev.xssab.evaluator.dataset.DatasetLoader;
import dev.xssab.evaluator.replay.EvaluationInputs;
import dev.xssab.evaluator.replay.EvaluationRun;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.XssabHome;
import dev.xssab.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
final class EvaluateCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
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
    public Set<Setting.Group> settingGroups() {
        return EnumSet.of(Setting.Group.KAFKA, Setting.Group.SCHEMA_REGISTRY_CLIENT, Setting.Group.CLIENT);
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
        for (String s : strategies) {
            if (!s.equals("best_worst") && !s.equals("random")) {
                throw new UserException("--strategies takes best_worst and/or random, got " + s);
            }
        }
        EvaluationRun.RandomOrder order;
        try {
            order = EvaluationRun.RandomOrder.parse(randomOrder);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        List<RecognitionModelSpec> specs = new ArrayList<>();
        if (models != null && !models.isEmpty()) {
            if (model.modelId != null || model.modelSpec != null) {
                throw new UserException("give --models, or --model / --model-spec, not both");
            }
            for (String id : new java.util.LinkedHashSet<>(models)) {
                specs.add(ModelOptions.byId(id.trim()));
            }
        } else {
            specs.add(model.spec());
        }
        Dataset data;
        try {
            data = DatasetLoader.load(dataset);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        ModelStore store = ModelStore.fromEnvironment();
        String run = runName != null ? runName : "eval-" + data.name() + "-s" + seed + "-"
                + EvaluationInputs.sha256((Path.of(dataset.substring(dataset.indexOf(':') + 1)).toAbsolutePath().normalize() + "|"
                + percentages + "|" + strategies + "|" + order).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
        System.err.println("run " + run + ": " + data.pairs().size() + " pairs, models " + specs.stream().map(RecognitionModelSpec::id)
                .toList() + ", strategies " + strategies + ", steps " + percentages + ", random order " + randomOrder);
        Path runDir = Files.createDirectories(XssabHome.dir().resolve("runs").resolve(run));
        List<Prepared> prepared = new ArrayList<>();
        for (RecognitionModelSpec spec : specs) {
            ProgressBar aligning = new ProgressBar("aligning for " + spec.id(), data.images().size());
            EvaluationInputs in;
            try {
                in = EvaluationInputs.prepare(data, spec, store, seed, aligning::step);
            } catch (EvaluationInputs.AlignedSizeMismatchException e) {
                throw new UserException(e.getMessage());
            }
            aligning.done();
            in.excluded().forEach(e -> System.err.println("excluded for " + spec.id() + " (not aligned): " + e));
            if (in.pairs().isEmpty()) {
                throw new UserException("no pair of " + dataset + " could be aligned for " + spec.id());
            }
            LabelledScores scores = EvaluationRun.scoreOriginals(in, spec, store);
            scores.write(runDir.resolve("scores-" + spec.id() + ".csv"));
            Calibration c = Calibration.fromScores(scores.scores(), scores.genuine());
            System.err.printf(Locale.ROOT, "%s: calibrated t = %.6f on %d original pairs (EER %.4f, the reference's rule); carried"
                    + " by every request, the model's live threshold stays as it is%n", spec.id(), c.decisionThreshold(),
                    in.pairs().size(), c.eer());
            prepared.add(new Prepared(spec, in, c));
        }

        if (!noUp) {
            Stack.up(Duration.ofMinutes(3));
        }
        Topics topics = service.topics();
        recordRun(run, prepared, percentages);
        String principal = service.config().optional(dev.xssab.config.Settings.CLIENT_PRINCIPAL);
        boolean complete = true;
        for (Prepared p : prepared) {
            double t = p.calibration().decisionThreshold();
            EvaluationRun.Plan plan = new EvaluationRun.Plan(run, p.spec().id(), data.name(), strategies, percentages, seed,
                    principal == null ? Topics.REQUESTS : Topics.requestsFrom(principal), order);
            int expected = p.inputs().pairs().size() * (2 + strategies.size() * percentages.size());
            ProgressBar bar = new ProgressBar("evaluating " + p.spec().id(), expected);
            EvaluationRun.Summary summary = EvaluationRun.replay(service.clients(), topics, plan, t, p.inputs(), timeout, bar::step);
            bar.done();
            System.out.printf(Locale.ROOT, "model        %s%n", p.spec().id());
            System.out.printf(Locale.ROOT, "threshold    %.6f (EER %.4f on the originals)%n", t, p.calibration().eer());
            System.out.printf(Locale.ROOT, "outcomes     %d of %d (%d rejected)%n", summary.outcomes(), summary.expected(),
                    summary.rejected());
            complete &= summary.complete();
        }
        System.out.printf(Locale.ROOT, "run          %s%n", run);
        System.out.printf(Locale.ROOT, "next         ./xssab report %s --out out/report-%s%n", run, run);
        return complete ? 0 : 1;
    }

    /** One model's share of the run: its aligned inputs and its calibration. */
    private record Prepared(RecognitionModelSpec spec, EvaluationInputs inputs, Calibration calibration) {}

    private void recordRun(String run, List<Prepared> prepared, List<Integer> percentages) throws Exception {
        Path dir = Files.createDirectories(XssabHome.dir().resolve("runs").resolve(run));
        ObjectNode json = Json.object();
        json.put("run", run);
        json.put("dataset", dataset);
        ObjectNode byModel = json.putObject("models");
        for (Prepared p : prepared) {
            ObjectNode m = byModel.putObject(p.spec().id());
            m.put("pairs", p.inputs().pairs().size());
            m.put("threshold", p.calibration().decisionThreshold());
            m.put("eer", p.calibration().eer());
            m.put("eerMode", "reference");
            ArrayNode excluded = m.putArray("excluded");
            p.inputs().excluded().forEach(excluded::add);
        }
        json.put("seed", seed);
        json.put("randomOrder", randomOrder);
        ArrayNode stepsJson = json.putArray("percentages");
        percentages.forEach(stepsJson::add);
        ArrayNode strat = json.putArray("strategies");
        strategies.forEach(strat::add);
        json.put("recordedAt", Instant.now().toString());
        Files.writeString(dir.resolve("run.json"), Json.MAPPER.writeValueAsString(json));
    }
}
