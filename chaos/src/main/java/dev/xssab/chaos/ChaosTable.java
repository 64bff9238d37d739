package dev.xssab.chaos;

import dev.xssab.chaos.verify.FaultFigures;
import dev.xssab.chaos.verify.VerificationReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The figures of a chaos run as docs/operations.md shows them: one row per fault, then the one-line verdict. */
public final class ChaosTable {
    private ChaosTable() {}

    /** Prints the table and the closing line; returns that line. */
    public static String print(ChaosRun.Result result, PrintStream out) {
        FaultFigures outside = result.figures().stream().filter(f -> f.fault().equals(FaultFigures.OUTSIDE)).findFirst()
                .orElseThrow();
        out.println("| fault | target | requests during | lost | duplicated | p50 / p99 during (ms) | p50 / p99 outside (ms) | recovery |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (ChaosRun.FaultOutcome f : result.faults()) {
            if (f.skipped() != null) {
                out.printf(Locale.ROOT, "| %s | skipped: %s | | | | | | |%n", f.fault().id(), f.skipped());
                continue;
            }
            Optional<FaultFigures> during = figuresOf(result.figures(), f.fault().id(), seen.merge(f.fault().id(), 1, Integer::sum));
            out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %.1f s |%n", f.fault().id(), f.target(),
                    during.map(FaultFigures::sent).orElse(0), during.map(FaultFigures::lost).orElse(0),
                    during.map(FaultFigures::duplicated).orElse(0), latency(during.orElse(null)), latency(outside),
                    f.recovery().toMillis() / 1000.0);
        }
        String line = verdict(result);
        out.println(line);
        return line;
    }

    /** {@code chaos: N requests, F faults, 0 lost, 0 duplicated}, or what was not. */
    static String verdict(ChaosRun.Result result) {
        VerificationReport.Counts c = result.report().counts();
        long held = result.faults().stream().filter(f -> f.skipped() == null).count();
        String line = String.format(Locale.ROOT, "chaos: %d requests, %d faults, %d lost, %d duplicated", c.sent(), held, c.lost(),
                c.duplicated());
        List<String> failed = result.report().failedChecks();
        return failed.isEmpty() ? line : line + "; failed checks: " + String.join(", ", failed);
    }

    /** The figures of the n-th window (from 1) of this fault: a schedule may hold one fault more than once. */
    private static Optional<FaultFigures> figuresOf(List<FaultFigures> figures, String fault, int n) {
        return figures.stream().filter(f -> f.fault().equals(fault)).skip(n - 1L).findFirst();
    }

    private static String latency(FaultFigures f) {
        return f == null || f.decisions() == 0 ? "-" : f.p50LatencyMs() + " / " + f.p99LatencyMs();
    }
}
