package dev.xssab.evaluator;

import dev.xssab.kafka.client.PipelineClient.Outcome;
import dev.xssab.schemas.Decision;
import java.util.List;

/**
 * Decisions against ground truth: MATCH / NO_MATCH, rejections, and the confusion counts (a
 * positive is a MATCH, a true one a MATCH of a genuine pair).
 */
public final class DecisionCounts {
    private int truePositive;
    private int trueNegative;
    private int falsePositive;
    private int falseNegative;
    private int rejected;

    /** The outcome of pair i, where there is one (a missing outcome counts nowhere). */
    public static DecisionCounts of(List<LabelledPair> pairs, Outcome[] outcomes) {
        DecisionCounts c = new DecisionCounts();
        for (int i = 0; i < pairs.size(); i++) {
            Outcome o = outcomes[i];
            if (o == null) {
                continue;
            }
            if (o.rejection() != null) {
                c.reject();
            } else {
                c.decide(o.result().getDecision() == Decision.MATCH, pairs.get(i).genuine());
            }
        }
        return c;
    }

    public void decide(boolean match, boolean genuine) {
        if (match) {
            truePositive += genuine ? 1 : 0;
            falsePositive += genuine ? 0 : 1;
        } else {
            falseNegative += genuine ? 1 : 0;
            trueNegative += genuine ? 0 : 1;
        }
    }

    public void reject() {
        rejected++;
    }

    public int match() {
        return truePositive + falsePositive;
    }

    public int noMatch() {
        return trueNegative + falseNegative;
    }

    public int decided() {
        return match() + noMatch();
    }

    public int rejected() {
        return rejected;
    }

    public int truePositive() {
        return truePositive;
    }

    public int trueNegative() {
        return trueNegative;
    }

    public int falsePositive() {
        return falsePositive;
    }

    public int falseNegative() {
        return falseNegative;
    }

    /** Correct decisions over all decisions; 0 when nothing was decided. */
    public double accuracy() {
        return decided() == 0 ? 0 : (double) (truePositive + trueNegative) / decided();
    }
}
