package dev.xssab.chaos.verify;

import dev.xssab.chaos.Ledger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checks of the committed outcomes against the ledger. Pure functions: each returns its
 * violations, one line per id, and never stops at the first.
 *
 * <p>An id's sends are counted together: A acknowledged, I indeterminate. Each send that landed
 * yields exactly one outcome, and at most one of those is a decision (D; the others are
 * DUPLICATE_REQUEST rejections, U). So A &le; D + U &le; A + I, and D = 1 as soon as one send
 * landed. A send whose first attempt was indeterminate may never have landed; then its resend
 * is decided and no duplicate rejection is owed, which is why U is a range, not a number.
 */
final class DecisionChecks {
    private DecisionChecks() {}

    /** Every id with an acknowledged send is decided exactly once. */
    static List<String> ackedDecidedOnce(Map<String, SentIds.Sent> sent, OutcomeIndex index) {
        List<String> v = new ArrayList<>();
        for (SentIds.Sent s : sent.values()) {
            int d = index.decisions(s.id());
            if (s.count(Ledger.Status.ACKED) > 0 && d != 1) {
                v.add(s.id() + ": acknowledged, decided " + d + " times" + (d == 0 ? " (lost)" : " (duplicated)"));
            }
        }
        return v;
    }

    /** Ids sent only indeterminately (and maybe failed) are decided at most once. */
    static List<String> indeterminateAtMostOnce(Map<String, SentIds.Sent> sent, OutcomeIndex index) {
        List<String> v = new ArrayList<>();
        for (SentIds.Sent s : sent.values()) {
            int d = index.decisions(s.id());
            if (s.count(Ledger.Status.ACKED) == 0 && s.count(Ledger.Status.INDETERMINATE) > 0 && d > 1) {
                v.add(s.id() + ": indeterminate, decided " + d + " times");
            }
        }
        return v;
    }

    /** Ids whose every send failed before it could land have no outcome at all. */
    static List<String> failedNeverDecided(Map<String, SentIds.Sent> sent, OutcomeIndex index) {
        List<String> v = new ArrayList<>();
        for (SentIds.Sent s : sent.values()) {
            if (s.count(Ledger.Status.FAILED) == s.sends().size() && index.decisions(s.id()) + index.duplicates(s.id()) > 0) {
                v.add(s.id() + ": every send failed, yet " + index.decisions(s.id()) + " decisions and "
                        + index.duplicates(s.id()) + " duplicate rejections");
            }
        }
        return v;
    }

    /** No result, rejection or explanation names an id that was never sent. */
    static List<String> unknownOutcomes(Map<String, SentIds.Sent> sent, OutcomeIndex index) {
        return index.idsWithOutcomes().stream().filter(id -> !sent.containsKey(id)).map(id -> id + ": outcome for an id never sent").toList();
    }

    /**
     * Each landed send beyond the decided one is rejected as DUPLICATE_REQUEST exactly once:
     * U in [A - 1, A + I - 1] when decided, U = 0 when not.
     */
    static List<String> duplicateRejections(Map<String, SentIds.Sent> sent, OutcomeIndex index) {
        List<String> v = new ArrayList<>();
        for (SentIds.Sent s : sent.values()) {
            long a = s.count(Ledger.Status.ACKED);
            long i = s.count(Ledger.Status.INDETERMINATE);
            int u = index.duplicates(s.id());
            boolean decided = index.decisions(s.id()) > 0;
            long min = decided ? Math.max(0, a - 1) : 0;
            long max = decided ? Math.max(min, a + i - 1) : 0; // all-failed but decided: failed-never-decided says so
            if (u < min || u > max) {
                v.add(s.id() + ": " + u + " DUPLICATE_REQUEST rejections, expected " + (min == max ? min : min + ".." + max)
                        + " (" + a + " acked, " + i + " indeterminate sends, " + (s.hasResend() ? "" : "no ") + "deliberate resend)");
            }
        }
        return v;
    }

    /**
     * Every acknowledged id is decided within {@code deadline} of the heal of the fault held at its
     * first acknowledged send, or of that send outside every fault.
     */
    static List<String> decisionDeadline(Map<String, SentIds.Sent> sent, List<Ledger.FaultWindow> faults, OutcomeIndex index,
            Duration deadline) {
        List<String> v = new ArrayList<>();
        for (SentIds.Sent s : sent.values()) {
            Optional<Ledger.Send> acked = s.firstAcked();
            OptionalLong decidedAt = index.decidedAtMs(s.id());
            if (acked.isEmpty() || decidedAt.isEmpty()) {
                continue; // never acknowledged, or lost: reported by the other checks
            }
            Ledger.Send send = acked.get();
            Optional<Ledger.FaultWindow> fault = SentIds.heldAt(send, faults);
            if (send.fault() != null && fault.isEmpty()) {
                v.add(s.id() + ": sent under fault " + send.fault() + ", which the ledger has no window for");
                continue;
            }
            long from = fault.map(Ledger.FaultWindow::healedMs).orElse(send.sentAtMs());
            if (decidedAt.getAsLong() > from + deadline.toMillis()) {
                v.add(s.id() + ": decided " + (decidedAt.getAsLong() - from) + " ms after "
                        + fault.map(f -> "the heal of " + f.name()).orElse("its send") + " (allowed " + deadline.toMillis() + " ms)");
            }
        }
        return v;
    }
}
