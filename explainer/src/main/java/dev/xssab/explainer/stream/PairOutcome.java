package dev.xssab.explainer.stream;

import dev.xssab.render.PairExplanation;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.ReasonCode;

/**
 * What the batch processor made of one request: a decision (with its explanation if one was
 * asked for) or a rejection.
 *
 * @param <S> the request's origin type
 */
public sealed interface PairOutcome<S> {
    PairRequest<S> request();

    /**
     * @param modelMs the model call's time divided by the pairs in it
     * @param batchSize how many pairs shared the call (score-only) or the model's explained share of the batch
     * @param explanation null unless the request asked for one
     */
    record Decided<S>(PairRequest<S> request, String modelId, double score, double threshold, Decision decision,
            double modelMs, int batchSize, PairExplanation explanation) implements PairOutcome<S> {
        public boolean explained() {
            return explanation != null;
        }
    }

    record Rejected<S>(PairRequest<S> request, ReasonCode reason, String message) implements PairOutcome<S> {}
}
