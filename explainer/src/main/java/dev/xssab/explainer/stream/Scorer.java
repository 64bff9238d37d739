package dev.xssab.explainer.stream;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import java.util.List;

/** The fast path for score-only requests: cosine per pair, no gradients. */
@FunctionalInterface
public interface Scorer {
    double[] score(List<FacePair> pairs) throws InferenceException;
}
