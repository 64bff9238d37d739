package dev.xssab.cli.eval;

import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.replay.RunDirectory;
import dev.xssab.evaluator.report.EvaluationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xssab report RUN}: the evaluation's table and the paper's two plots (FMR and FNMR
 * against the replaced percentage; best_worst solid, random dashed, one colour per model) as PNG
 * and SVG, and an HTML page showing them ({@link EvaluationReport}).
 */
@Command(name = "report", description = "Table, plots (PNG, SVG) and an HTML page for an evaluation run.")
public final class ReportCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Parameters(paramLabel = "RUN")
    String run;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the plots and the page go (default: out/report-RUN).")
    Path out;

    @Mixin
    ServiceOptions service;

    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT);
    }

    @Override
    public Integer call() throws Exception {
        EvaluationReport report = EvaluationReport.read(service.clients(), service.topics(), run);
        if (report.isEmpty()) {
            throw new UserException("no aggregates for run " + run + " (is the aggregates service up, and the run name right?)");
        }
        Path dir = out != null ? out : Path.of("out", "report-" + run);
        // The run keeps each model's original-pair scores: the DET curve needs scores, not rates.
        RunDirectory runDir = RunDirectory.of(run);
        Map<String, LabelledScores> scores = runDir.originalScores(report.byModel().keySet());
        report.write(dir, scores);
        System.out.print(report.table());
        System.out.println("plots and page: " + dir.toAbsolutePath() + " (fmr.png, fnmr.png, fmr.svg, fnmr.svg, index.html"
                + (scores.size() == report.byModel().size() ? ", det.png, det.svg" : "; no DET curve: the run's scores are not in "
                + runDir.dir()) + ")");
        return 0;
    }
}
