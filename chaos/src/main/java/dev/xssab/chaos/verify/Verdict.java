package dev.xssab.chaos.verify;

import dev.xssab.chaos.Ledger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges the evidence against the ledger: runs every check, collects every violation. A pure
 * function; {@link Verifier} gathers the evidence from a live system.
 */
public final class Verdict {
    public static final String QUIESCENCE = "quiescence";
    public static final String SCAN = "scan-complete";
    public static final String ACKED_DECIDED_ONCE = "acked-decided-exactly-once";
    public static final String INDETERMINATE_AT_MOST_ONCE = "indeterminate-decided-at-most-once";
    public static final String FAILED_NEVER_DECIDED = "failed-never-decided";
    public static final String UNKNOWN_OUTCOMES = "no-outcome-for-unsent-id";
    public static final String DUPLICATE_REJECTIONS = "one-duplicate-rejection-per-resend";
    public static final String EXPLANATIONS = "explanations-match-results";
    public static final String ALIGNED_PAIRS = "aligned-pairs-match-explainer-outcomes";
    public static final String AUDIT = "audit-equals-outcomes";
    public static final String HANGING_TRANSACTIONS = "no-hanging-transactions";
    public static final String TRANSACTION_VERSION = "transaction-version-2";
    public static final String ABORTED_SEEN = "aborted-transactions-seen";
    public static final String DEADLINE = "decided-within-deadline-of-heal";

    /**
     * What the verdict demands beyond exactly-once.
     *
     * @param decisionDeadline an acknowledged id is decided within this of its fault's heal (or of its send)
     * @param requireAbortedRecords whether a run without any aborted record fails (a fault run must have hit a transaction)
     */
    public record Expectations(Duration decisionDeadline, boolean requireAbortedRecords) {
        /** 120 s, and aborted records required: a fault run. */
        public static Expectations faultRun() {
            return new Expectations(Duration.ofSeconds(120), true);
        }
    }

    private Verdict() {}

    /** Runs every check on {@code evidence} against {@code ledger}. */
    public static VerificationReport evaluate(Ledger ledger, Evidence evidence, Expectations expect) {
        Map<String, SentIds.Sent> sent = SentIds.of(ledger.sends());
        OutcomeIndex index = new OutcomeIndex(evidence.outcomes());
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put(QUIESCENCE, evidence.notQuiescent());
        v.put(SCAN, evidence.outcomes().scanProblems());
        v.put(ACKED_DECIDED_ONCE, DecisionChecks.ackedDecidedOnce(sent, index));
        v.put(INDETERMINATE_AT_MOST_ONCE, DecisionChecks.indeterminateAtMostOnce(sent, index));
        v.put(FAILED_NEVER_DECIDED, DecisionChecks.failedNeverDecided(sent, index));
        v.put(UNKNOWN_OUTCOMES, DecisionChecks.unknownOutcomes(sent, index));
        v.put(DUPLICATE_REJECTIONS, DecisionChecks.duplicateRejections(sent, index));
        v.put(EXPLANATIONS, ConsistencyChecks.explanations(index));
        v.put(ALIGNED_PAIRS, ConsistencyChecks.alignedPairs(index));
        if (evidence.audit() != null) {
            v.put(AUDIT, ConsistencyChecks.audit(index, evidence.audit()));
        }
        v.put(HANGING_TRANSACTIONS, ConsistencyChecks.hangingTransactions(evidence.cluster()));
        v.put(TRANSACTION_VERSION, ConsistencyChecks.transactionVersion(evidence.cluster()));
        if (expect.requireAbortedRecords()) {
            v.put(ABORTED_SEEN, ConsistencyChecks.abortedRecordsSeen(evidence.outcomes()));
        }
        v.put(DEADLINE, DecisionChecks.decisionDeadline(sent, ledger.faults(), index, expect.decisionDeadline()));
        return new VerificationReport(counts(ledger, sent, index, evidence.outcomes()), v, index);
    }

    private static VerificationReport.Counts counts(Ledger ledger, Map<String, SentIds.Sent> sent, OutcomeIndex index, Outcomes o) {
        List<Ledger.Send> sends = ledger.sends();
        int decided = 0;
        int lost = 0;
        int duplicated = 0;
        for (SentIds.Sent s : sent.values()) {
            int d = index.decisions(s.id());
            decided += d > 0 ? 1 : 0;
            lost += d == 0 && s.count(Ledger.Status.ACKED) > 0 ? 1 : 0;
            duplicated += d > 1 ? 1 : 0;
        }
        return new VerificationReport.Counts(sends.size(), count(sends, Ledger.Status.ACKED), count(sends, Ledger.Status.INDETERMINATE),
                count(sends, Ledger.Status.FAILED), decided, lost, duplicated, o.abortedRecords());
    }

    private static int count(List<Ledger.Send> sends, Ledger.Status status) {
        return (int) sends.stream().filter(s -> s.status() == status).count();
    }
}
