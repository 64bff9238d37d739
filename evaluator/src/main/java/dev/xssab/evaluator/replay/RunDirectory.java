package dev.xssab.evaluator.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.Strategy;
import dev.xssab.models.XssabHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an evaluation run keeps on disk, in XSSAB_HOME/runs/RUN: {@code run.json} (what was run,
 * with each model's calibrated t) and {@code scores-MODEL.csv} (each model's original-pair scores,
 * for the report's DET curves). The one place that knows these names.
 */
public final class RunDirectory {
    public static final String RUN_JSON = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A model's share of the run, as recorded. */
    public record ModelRecord(int pairs, double threshold, double eer, String eerMode, List<String> excluded) {}

    /** run.json: what was run; its fields in the order the file has always had them. */
    public record RunRecord(String run, String dataset, Map<String, ModelRecord> models, long seed, String randomOrder,
            List<Integer> percentages, List<String> strategies, String recordedAt) {}

    private final String run;
    private final Path dir;

    private RunDirectory(String run, Path dir) {
        this.run = run;
        this.dir = dir;
    }

    /** The run's directory under XSSAB_HOME (not created until something is written). */
    public static RunDirectory of(String run) {
        return at(XssabHome.dir().resolve("runs").resolve(run), run);
    }

    /** A run's directory somewhere else. */
    public static RunDirectory at(Path dir, String run) {
        return new RunDirectory(run, dir);
    }

    /**
     * The name of a run nobody named: the dataset's name and seed, and a hash of the dataset's
     * folder, the percentages, strategies and random order, so that the same command resumes.
     */
    public static String defaultName(String datasetSpec, String datasetName, long seed, List<Integer> percentages,
            List<Strategy> strategies, EvaluationRun.RandomOrder order) {
        Path folder = Path.of(datasetSpec.substring(datasetSpec.indexOf(':') + 1)).toAbsolutePath().normalize();
        return "eval-" + datasetName + "-s" + seed + "-" + EvaluationInputs.sha256((folder + "|" + percentages + "|" + strategies + "|"
                + order).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    }

    public String run() {
        return run;
    }

    public Path dir() {
        return dir;
    }

    public Path runJson() {
        return dir.resolve(RUN_JSON);
    }

    public Path scoresFile(String model) {
        return dir.resolve("scores-" + model + ".csv");
    }

    public void writeScores(String model, LabelledScores scores) throws IOException {
        Files.createDirectories(dir);
        scores.write(scoresFile(model));
    }

    public void write(RunRecord record) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(runJson(), JSON.writeValueAsString(record));
    }

    /** run.json, if the run was recorded here. */
    public Optional<RunRecord> read() throws IOException {
        return Files.isRegularFile(runJson()) ? Optional.of(JSON.readValue(runJson().toFile(), RunRecord.class)) : Optional.empty();
    }

    /**
     * The original-pair scores kept for these models; a model that run.json, where there is one,
     * does not list was not calibrated by this run, and its file (if any) is not read.
     */
    public Map<String, LabelledScores> originalScores(Collection<String> models) throws IOException {
        Optional<RunRecord> record = read();
        Map<String, LabelledScores> out = new LinkedHashMap<>();
        for (String model : models) {
            boolean recorded = record.map(r -> r.models().containsKey(model)).orElse(true);
            if (recorded && Files.isRegularFile(scoresFile(model))) {
                out.put(model, LabelledScores.read(scoresFile(model)));
            }
        }
        return out;
    }
}
