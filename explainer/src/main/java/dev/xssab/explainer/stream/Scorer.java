package dev.xssab.explainer.stream;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.PairExplainer;
import dev.xssab.explainer.PairScorer;
import java.util.List;

/**
 * A score function as a method reference ({@code fast::score}), kept only for the one caller of
 * the old {@link ExplainerLoop} constructor that still passes one (UiBrowserIT, in the ui module,
 * which is being moved). Everything else passes a {@link PairScorer}; remove this with that call.
 */
@FunctionalInterface
public interface Scorer {
    double[] score(List<FacePair> pairs) throws InferenceException;

    /** This function as a scorer of {@code owner}'s model, whose state it shares. */
    default PairScorer of(PairExplainer owner) {
        return new PairScorer() {
            @Override
            public String modelId() {
                return owner.modelId();
            }

            @Override
            public double[] score(List<FacePair> pairs) throws InferenceException {
                return Scorer.this.score(pairs);
            }

            @Override
            public String problem() {
                return owner.problem();
            }

            @Override
            public void close() {}
        };
    }
}
