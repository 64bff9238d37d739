package dev.xssab.chaos.verify;

import dev.xssab.chaos.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What one fault window did to the requests sent while it was held (or, for the entry named
 * {@link #OUTSIDE}, to those sent outside every fault).
 *
 * @param sent sends made while it was held (resends included)
 * @param lost ids among them acknowledged but never decided
 * @param duplicated ids among them decided more than once
 * @param decisions acknowledged first sends among them that were decided: the latency sample
 * @param p50LatencyMs median of decision time minus send time, -1 without a sample
 * @param p99LatencyMs 99th percentile (nearest rank), -1 without a sample
 */
public record FaultFigures(String fault, long startMs, long healedMs, int sent, int lost, int duplicated, int decisions,
        long p50LatencyMs, long p99LatencyMs) {
    /** The name of the entry for sends outside every fault. */
    public static final String OUTSIDE = "(outside faults)";

    /** One entry per fault window of the ledger, in its order, then the {@link #OUTSIDE} entry. */
    static List<FaultFigures> of(Ledger ledger, OutcomeIndex index) {
        List<Ledger.FaultWindow> faults = ledger.faults();
        List<FaultFigures> out = new ArrayList<>();
        for (Ledger.FaultWindow w : faults) {
            out.add(figures(w.name(), w.startMs(), w.healedMs(), ledger.sends(),
                    s -> SentIds.heldAt(s, faults).filter(w::equals).isPresent(), index));
        }
        out.add(figures(OUTSIDE, -1, -1, ledger.sends(), s -> s.fault() == null, index));
        return out;
    }

    private static FaultFigures figures(String name, long start, long healed, List<Ledger.Send> all, Predicate<Ledger.Send> during,
            OutcomeIndex index) {
        List<Ledger.Send> sends = all.stream().filter(during).toList();
        Set<String> lost = new TreeSet<>();
        Set<String> duplicated = new TreeSet<>();
        List<Long> latencies = new ArrayList<>();
        for (Ledger.Send s : sends) {
            int d = index.decisions(s.requestId());
            if (s.status() == Ledger.Status.ACKED && d == 0) {
                lost.add(s.requestId());
            }
            if (d > 1) {
                duplicated.add(s.requestId());
            }
            latency(s, index).ifPresent(latencies::add);
        }
        latencies.sort(null);
        return new FaultFigures(name, start, healed, sends.size(), lost.size(), duplicated.size(), latencies.size(),
                percentile(latencies, 50), percentile(latencies, 99));
    }

    /** Only an acknowledged first send is sure to be the one decided; a resend's outcome is a duplicate. */
    private static Optional<Long> latency(Ledger.Send s, OutcomeIndex index) {
        if (s.resend() || s.status() != Ledger.Status.ACKED) {
            return Optional.empty();
        }
        OptionalLong at = index.decidedAtMs(s.requestId());
        return at.isPresent() ? Optional.of(at.getAsLong() - s.sentAtMs()) : Optional.empty();
    }

    /** Nearest-rank percentile of sorted values, -1 for none. */
    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Objects.requireNonNull(sorted.get(Math.max(0, rank - 1)));
    }

    /** One line: name, sent, lost, duplicated, p50/p99. */
    public String line() {
        return String.format("%-28s sent %6d  lost %4d  duplicated %4d  p50 %6d ms  p99 %6d ms (%d decided)", fault, sent, lost,
                duplicated, p50LatencyMs, p99LatencyMs, decisions);
    }
}
