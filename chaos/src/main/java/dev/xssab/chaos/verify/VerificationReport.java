package dev.xssab.chaos.verify;

import dev.xssab.chaos.Ledger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The verifier's verdict: counts, and the violations of every check by the check's name (a
 * passing check maps to an empty list, so the report names every check that ran).
 */
public final class VerificationReport {
    /** How many examples of each failing check {@link #summary()} prints. */
    private static final int EXAMPLES = 5;

    /**
     * The figures of a run.
     *
     * @param sent sends in the ledger (resends included); acked, indeterminate and failed split them
     * @param decided ids with at least one decision
     * @param lost ids acknowledged but never decided
     * @param duplicated ids decided more than once
     * @param abortedRecords records of aborted transactions seen on the outcome topics
     */
    public record Counts(int sent, int acked, int indeterminate, int failed, int decided, int lost, int duplicated, long abortedRecords) {}

    private final Counts counts;
    private final Map<String, List<String>> violations;
    private final OutcomeIndex index;

    VerificationReport(Counts counts, Map<String, List<String>> violations, OutcomeIndex index) {
        this.counts = counts;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        violations.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.violations = Collections.unmodifiableMap(copy);
        this.index = index;
    }

    public Counts counts() {
        return counts;
    }

    /** Every check that ran, in order, with its violations (empty when it passed). */
    public Map<String, List<String>> violations() {
        return violations;
    }

    /** The violations of one check; empty when it passed or did not run. */
    public List<String> violations(String check) {
        return violations.getOrDefault(check, List.of());
    }

    /** True when no check found a violation. */
    public boolean passed() {
        return violations.values().stream().allMatch(List::isEmpty);
    }

    /** The checks that failed. */
    public List<String> failedChecks() {
        return violations.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** Per fault window of {@code ledger} (and outside every fault): sent, lost, duplicated, decision latency. */
    public List<FaultFigures> faultFigures(Ledger ledger) {
        return FaultFigures.of(ledger, index);
    }

    /** A few lines: the verdict, the counts, and for each failed check its count and first examples. */
    public String summary() {
        StringBuilder b = new StringBuilder(passed() ? "VERIFIED" : "FAILED: " + String.join(", ", failedChecks()));
        b.append(String.format("%nsent %d (acked %d, indeterminate %d, failed %d); decided %d ids, lost %d, duplicated %d;"
                + " aborted records seen %d", counts.sent(), counts.acked(), counts.indeterminate(), counts.failed(), counts.decided(),
                counts.lost(), counts.duplicated(), counts.abortedRecords()));
        violations.forEach((check, v) -> {
            if (!v.isEmpty()) {
                b.append(String.format("%n  %s: %d violation(s)%n    ", check, v.size()))
                        .append(v.stream().limit(EXAMPLES).collect(Collectors.joining(System.lineSeparator() + "    ")));
                if (v.size() > EXAMPLES) {
                    b.append(String.format("%n    ... and %d more", v.size() - EXAMPLES));
                }
            }
        });
        return b.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
