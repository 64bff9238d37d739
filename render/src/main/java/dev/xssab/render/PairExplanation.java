package dev.xssab.render;

import dev.xssab.schemas.Decision;
import dev.xssab.schemas.DecisionRule;

/**
 * A verified and explained pair.
 *
 * @param cosine similarity of the L2-normalised embeddings
 * @param threshold the decision threshold t used for the decision and for bound = t/d
 * @param probeMaps maps over the probe (image 1), explaining it against the reference
 * @param referenceMaps maps over the reference (image 2), explaining it against the probe
 */
public record PairExplanation(double cosine, double threshold, ArgumentMaps probeMaps, ArgumentMaps referenceMaps) {
    public Decision decision() {
        return DecisionRule.decide(cosine, threshold);
    }
}
