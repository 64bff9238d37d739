package dev.xssab.explainer;

import dev.xssab.render.PairExplanation;

import java.util.List;

/**
 * What the streaming code and the CLI see of a recognition model: batched scoring and batched
 * xSSAB explanation. Implementations own their native memory and free it per call.
 */
public interface PairExplainer extends PairScorer {
    /** The model id (key of its calibrated threshold). */
    String modelId();

    /** Cosine similarities, one per pair, from one batched forward pass. */
    double[] score(List<FacePair> pairs) throws InferenceException;

    /** Scores and xSSAB maps in both directions for every pair, at threshold t. */
    List<PairExplanation> explain(List<FacePair> pairs, double threshold) throws InferenceException;

    @Override
    void close();
}
