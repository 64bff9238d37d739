package dev.xssab.schemas;

/** The one decision rule of the system: MATCH when cosine >= threshold. */
public final class DecisionRule {
    private DecisionRule() {}

    public static Decision decide(double score, double threshold) {
        return score >= threshold ? Decision.MATCH : Decision.NO_MATCH;
    }
}
