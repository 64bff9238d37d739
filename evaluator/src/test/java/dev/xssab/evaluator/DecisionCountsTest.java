package dev.xssab.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xssab.kafka.client.PipelineClient.Outcome;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionCountsTest {
    private static Outcome decided(Decision d) {
        VerificationResult r = new VerificationResult();
        r.setDecision(d);
        return new Outcome(r, null, null);
    }

    @Test
    void countsEachDecisionAgainstItsLabelAndRejectionsApart() {
        List<LabelledPair> pairs = List.of(new LabelledPair("a", "b", true), new LabelledPair("a", "c", false),
                new LabelledPair("b", "c", true), new LabelledPair("c", "d", false), new LabelledPair("d", "e", true),
                new LabelledPair("e", "f", false));
        Outcome[] outcomes = {decided(Decision.MATCH), decided(Decision.MATCH), decided(Decision.NO_MATCH),
            decided(Decision.NO_MATCH), new Outcome(null, new Rejection(), null), null};
        DecisionCounts c = DecisionCounts.of(pairs, outcomes);
        assertEquals(List.of(1, 1, 1, 1), List.of(c.truePositive(), c.falsePositive(), c.falseNegative(), c.trueNegative()));
        assertEquals(List.of(2, 2, 4, 1), List.of(c.match(), c.noMatch(), c.decided(), c.rejected()));
        assertEquals(0.5, c.accuracy(), 1e-12);
    }
}
