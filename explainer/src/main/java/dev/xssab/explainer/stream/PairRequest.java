package dev.xssab.explainer.stream;

import dev.xssab.explainer.FacePair;
import java.util.function.Supplier;

/**
 * One aligned pair to decide, as the batch processor sees it.
 *
 * @param modelId the model asked for; null for the default
 * @param evaluationThreshold the request's own threshold (an evaluation run's, which the gateway
 *     allowed); null to decide at the live one
 * @param faces made only once the request is routed to a served model, so that an unknown model
 *     is rejected as such whatever its images hold
 * @param origin what the caller needs to map the outcome back (the record it was read from);
 *     carried through untouched
 * @param <S> the origin's type
 */
public record PairRequest<S>(String requestId, String modelId, boolean explain, Double evaluationThreshold,
        Supplier<FacePair> faces, S origin) {
    /** The threshold this request is decided at. */
    double threshold(double live) {
        return evaluationThreshold != null ? evaluationThreshold : live;
    }

    /** Where {@link #threshold(double)} came from, as results and explanations record it. */
    String thresholdSource() {
        return evaluationThreshold != null ? "request" : "live";
    }
}
