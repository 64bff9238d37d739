package dev.xssab.chaos.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.chaos.Ledger;
import dev.xssab.schemas.ReasonCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each check on hand-made data: a clean run passes, each planted fault is found by its check. */
class VerdictTest {
    private static void assertOnly(VerificationReport r, String check, String idFragment) {
        assertFalse(r.passed(), r::summary);
        assertTrue(r.violations(check).stream().anyMatch(v -> v.contains(idFragment)), () -> check + " missed it:\n" + r.summary());
    }

    @Test
    void aCleanRunPasses() {
        VerificationReport r = Fixture.clean().verify();
        assertTrue(r.passed(), r::summary);
        assertEquals(new VerificationReport.Counts(7, 5, 1, 1, 4, 0, 0, 1), r.counts());
    }

    @Test
    void perFaultFiguresSplitTheSendsByTheFaultHeldAtThem() {
        Fixture f = Fixture.clean();
        List<FaultFigures> figures = f.verify().faultFigures(f.ledger);
        assertEquals(2, figures.size());
        FaultFigures kill = figures.get(0);
        assertEquals("kill-leader", kill.fault());
        assertEquals(1, kill.sent());
        assertEquals(7_000, kill.p50LatencyMs());
        FaultFigures outside = figures.get(1);
        assertEquals(6, outside.sent());
        assertEquals(3, outside.decisions(), "a, b and c: the resend and the unacknowledged sends are no latency sample");
        assertEquals(300, outside.p99LatencyMs());
    }

    @Test
    void aLostIdIsFound() {
        Fixture f = Fixture.clean();
        f.results.removeIf(r -> r.requestId().equals("f"));
        VerificationReport r = f.verify();
        assertOnly(r, Verdict.ACKED_DECIDED_ONCE, "f: acknowledged, decided 0 times (lost)");
        assertEquals(1, r.counts().lost());
    }

    @Test
    void aDoubledResultIsFound() {
        Fixture f = Fixture.clean();
        f.results.add(f.scanned(dev.xssab.schemas.Topics.RESULTS, "b", Fixture.T0 + 700, f.results.get(1).value()));
        VerificationReport r = f.verify();
        assertOnly(r, Verdict.ACKED_DECIDED_ONCE, "b: acknowledged, decided 2 times (duplicated)");
        assertEquals(1, r.counts().duplicated());
    }

    @Test
    void aResultAndARejectionOfOneIdAreTwoDecisions() {
        Fixture f = Fixture.clean();
        f.rejection("a", ReasonCode.INFERENCE_FAILED, Fixture.T0, Fixture.T0 + 50);
        assertOnly(f.verify(), Verdict.ACKED_DECIDED_ONCE, "a: acknowledged, decided 2 times");
    }

    @Test
    void aMissingExplanationIsFound() {
        Fixture f = Fixture.clean();
        f.explanations.clear();
        f.auditExplanations.clear();
        assertOnly(f.verify(), Verdict.EXPLANATIONS, "a: result marked explained, no explanation");
    }

    @Test
    void anOrphanExplanationIsFound() {
        Fixture f = Fixture.clean();
        f.explanations.add(f.scanned(dev.xssab.schemas.Topics.EXPLANATIONS, "b", Fixture.T0, f.explanations.get(0).value()));
        assertOnly(f.verify(), Verdict.EXPLANATIONS, "b: 1 explanation(s) without an explained result");
    }

    @Test
    void aMissingDuplicateRejectionIsFound() {
        Fixture f = Fixture.clean();
        f.rejections.removeIf(r -> r.value().getReason() == ReasonCode.DUPLICATE_REQUEST);
        assertOnly(f.verify(), Verdict.DUPLICATE_REJECTIONS, "b: 0 DUPLICATE_REQUEST rejections, expected 1");
    }

    @Test
    void aResendOfAnIdWhoseFirstSendNeverLandedOwesNoDuplicate() {
        Fixture f = Fixture.clean();
        f.send("g", false, Ledger.Status.INDETERMINATE, Fixture.T0 + 50, null);
        f.send("g", true, Ledger.Status.ACKED, Fixture.T0 + 60, null);
        f.result("g", false, Fixture.T0 + 200);
        assertTrue(f.verify().passed(), () -> f.verify().summary());
    }

    @Test
    void anAuditMismatchIsFoundFieldByField() {
        Fixture f = Fixture.clean();
        AuditedResult a = f.auditResults.get("a");
        f.auditResults.put("a", new AuditedResult(a.requestId(), a.modelId(), 0.5, a.threshold(), "NO_MATCH", a.explained(),
                a.completedAtMs(), a.tags(), a.submittedBy(), a.submitterAuthenticated(), a.thresholdSource()));
        f.auditResults.remove("f");
        VerificationReport r = f.verify();
        assertOnly(r, Verdict.AUDIT, "result a: score topic=0.7 audit=0.5, decision topic=MATCH audit=NO_MATCH");
        assertOnly(r, Verdict.AUDIT, "result f: missing from the audit");
    }

    @Test
    void outcomesOfUnsentOrFailedIdsAreFound() {
        Fixture f = Fixture.clean();
        f.rejection("zz", ReasonCode.NO_FACE, Fixture.T0, Fixture.T0);
        f.rejection("e", ReasonCode.NO_FACE, Fixture.T0, Fixture.T0);
        VerificationReport r = f.verify();
        assertOnly(r, Verdict.UNKNOWN_OUTCOMES, "zz");
        assertOnly(r, Verdict.FAILED_NEVER_DECIDED, "e: every send failed");
    }

    @Test
    void anIndeterminateIdDecidedTwiceIsFound() {
        Fixture f = Fixture.clean();
        f.rejection("d", ReasonCode.NO_FACE, Fixture.T0, Fixture.T0);
        f.rejection("d", ReasonCode.NO_FACE, Fixture.T0, Fixture.T0);
        assertOnly(f.verify(), Verdict.INDETERMINATE_AT_MOST_ONCE, "d: indeterminate, decided 2 times");
    }

    @Test
    void aDecisionLateAfterTheHealIsFound() {
        Fixture f = Fixture.clean();
        f.results.removeIf(r -> r.requestId().equals("f"));
        f.result("f", false, Fixture.T0 + 5_000 + 121_000);
        assertOnly(f.verify(), Verdict.DEADLINE, "f: decided 121000 ms after the heal of kill-leader");
    }

    @Test
    void theClusterChecksFindHangingTransactionsAnOldProtocolAndNoAbort() {
        Fixture f = Fixture.clean();
        f.openTransactions.add("xssab-explainer-0 ONGOING");
        f.transactionVersion = java.util.Optional.of((short) 1);
        f.aborted = 0;
        VerificationReport r = f.verify();
        assertOnly(r, Verdict.HANGING_TRANSACTIONS, "xssab-explainer-0");
        assertOnly(r, Verdict.TRANSACTION_VERSION, "is 1, expected 2");
        assertOnly(r, Verdict.ABORTED_SEEN, "never hit a transaction");
        assertEquals(List.of(Verdict.HANGING_TRANSACTIONS, Verdict.TRANSACTION_VERSION, Verdict.ABORTED_SEEN), r.failedChecks());
    }
}
