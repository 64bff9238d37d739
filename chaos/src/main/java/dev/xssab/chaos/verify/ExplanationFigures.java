package dev.xssab.chaos.verify;

import dev.xssab.schemas.avro.Explanation;

/**
 * The figures of an explanation that both the explanations topic and the audit hold; the maps and
 * faces are left out (they are large, and the audit stores them as the same Avro payload).
 */
public record ExplanationFigures(String modelId, double score, double threshold, String thresholdSource,
        double probeSPlus, double probeSMinus, double referenceSPlus, double referenceSMinus) {

    /** The figures of {@code e}. */
    public static ExplanationFigures of(Explanation e) {
        return new ExplanationFigures(e.getModelId(), e.getScore(), e.getThreshold(), e.getThresholdSource(),
                e.getProbe().getSPlus(), e.getProbe().getSMinus(), e.getReference().getSPlus(), e.getReference().getSMinus());
    }
}
