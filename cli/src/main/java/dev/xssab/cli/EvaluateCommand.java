package dev.xssab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.config.Setting;
import dev.xssab.evaluator.Calibration;
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
 *   <li>Align every image once (cached), calibrate t on the original pairs (EER point, rounded
 *       down by at most 1e-6) and record it with the run. t is never published as the model's
 *       threshold: every request carries it as its own evaluation threshold.</li>
 *   <li>Send every original pair (score only) and every Patch-LFW pair (explained).</li>
 *   <li>When a patched pair's explanation arrives, build its replacement variants from the
 *       combined map of image 1 (best_worst) and from a seeded order (random), for each
 *       percentage, and send them score-only.</li>
 * </ol>
 * Every request is tagged with the run and its cell; the aggregates topology turns results into
 * FMR/FNMR at the run's t. Request ids are deterministic (run/variant/strategy/percentage/pair):
 * a second call with the same run resumes, sending only what has no outcome yet.
 */
@Command(name = "evaluate", description = "Replay originals, Patch-LFW and pixel-replacement variants through the pipeline.")
final class EvaluateCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Option(names = "--dataset", required = true, description = "lfw:DIR, ref:DIR or csv:DIR")
    String dataset;

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
        Dataset data = DatasetLoader.load(dataset);
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        ModelStore store = ModelStore.fromEnvironment();
        String run = runName != null ? runName : "eval-" + data.name() + "-s" + seed + "-"
                + EvaluationInputs.sha256((Path.of(dataset.substring(dataset.indexOf(':') + 1)).toAbsolutePath().normalize() + "|"
                + percentages + "|" + strategies).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
        System.err.println("run " + run + ": " + data.pairs().size() + " pairs, strategies " + strategies + ", steps " + percentages);
        ProgressBar aligning = new ProgressBar("aligning", data.images().size());
        EvaluationInputs in = EvaluationInputs.prepare(data, spec, store, seed, aligning::step);
        aligning.done();
        in.excluded().forEach(e -> System.err.println("excluded (not aligned): " + e));
        if (in.pairs().isEmpty()) {
            throw new UserException("no pair of " + dataset + " could be aligned");
        }
        Calibration c = EvaluationRun.calibrate(in, spec, store);
        double t = c.decisionThreshold();
        System.err.printf(Locale.ROOT, "calibrated t = %.6f on %d original pairs (EER %.4f); carried by every request,"
                + " the model's live threshold stays as it is%n", t, in.pairs().size(), c.eer());

        if (!noUp) {
            Stack.up(Duration.ofMinutes(2));
        }
        Topics topics = service.topics();
        recordRun(run, in, percentages, t, c);
        String principal = service.config().optional(dev.xssab.config.Settings.CLIENT_PRINCIPAL);
        EvaluationRun.Plan plan = new EvaluationRun.Plan(run, spec.id(), data.name(), strategies, percentages, seed,
                principal == null ? Topics.REQUESTS : Topics.requestsFrom(principal));
        int expected = in.pairs().size() * (2 + strategies.size() * percentages.size());
        ProgressBar bar = new ProgressBar("evaluating", expected);
        EvaluationRun.Summary summary = EvaluationRun.replay(service.clients(), topics, plan, t, in, timeout, bar::step);
        bar.done();
        System.out.printf(Locale.ROOT, "run          %s%n", run);
        System.out.printf(Locale.ROOT, "threshold    %.6f (EER %.4f on the originals)%n", t, c.eer());
        System.out.printf(Locale.ROOT, "outcomes     %d of %d (%d rejected)%n", summary.outcomes(), summary.expected(),
                summary.rejected());
        System.out.printf(Locale.ROOT, "next         ./xssab report %s --out out/report-%s%n", run, run);
        return summary.complete() ? 0 : 1;
    }

    private void recordRun(String run, EvaluationInputs in, List<Integer> percentages, double t, Calibration c)
            throws Exception {
        Path dir = Files.createDirectories(XssabHome.dir().resolve("runs").resolve(run));
        ObjectNode json = Json.object();
        json.put("run", run);
        json.put("dataset", dataset);
        json.put("pairs", in.pairs().size());
        json.put("threshold", t);
        json.put("eer", c.eer());
        json.put("seed", seed);
        ArrayNode stepsJson = json.putArray("percentages");
        percentages.forEach(stepsJson::add);
        ArrayNode strat = json.putArray("strategies");
        strategies.forEach(strat::add);
        ArrayNode excluded = json.putArray("excluded");
        in.excluded().forEach(excluded::add);
        json.put("recordedAt", Instant.now().toString());
        Files.writeString(dir.resolve("run.json"), Json.MAPPER.writeValueAsString(json));
    }
}
