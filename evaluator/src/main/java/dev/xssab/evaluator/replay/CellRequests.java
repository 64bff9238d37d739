package dev.xssab.evaluator.replay;

import dev.xssab.evaluator.Strategy;
import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.evaluator.patch.Replacement;
import dev.xssab.evaluator.replay.EvaluationInputs.PreparedPair;
import dev.xssab.schemas.RgbImage;
import dev.xssab.schemas.avro.VerificationRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The requests of one model's share of a run: their deterministic ids
 * (run/model/variant/strategy/percentage/pair), their tags, and the replacement images.
 */
final class CellRequests {
    private final EvaluationRun.Plan plan;
    private final double t;

    CellRequests(EvaluationRun.Plan plan, double t) {
        this.plan = plan;
        this.t = t;
    }

    String id(String variant, String strategy, int pct, int pair) {
        return prefix() + variant + "/" + strategy + "/" + pct + "/" + pair;
    }

    String replacedId(Strategy strategy, int pct, int pair) {
        return id(EvaluationTags.REPLACED, strategy.tag(), pct, pair);
    }

    /** Every request id of this run and model starts so: one run can compare several models. */
    String prefix() {
        return plan.run() + "/" + plan.model() + "/";
    }

    /** The pair index at the end of a request id. */
    static int pairOf(String id) {
        return Integer.parseInt(id.substring(id.lastIndexOf('/') + 1));
    }

    static boolean isPatched(String id) {
        return id.contains("/" + EvaluationTags.PATCHED + "/");
    }

    /** The order in which the strategy puts the patched pixels back. */
    int[] order(Strategy strategy, float[] map, boolean patchedBelowT, int pair) {
        return switch (strategy) {
            case BEST_WORST -> Replacement.bestWorstOrder(map, patchedBelowT);
            case RANDOM -> Replacement.randomOrder(map.length, plan.seed(), plan.randomOrder() == EvaluationRun.RandomOrder.SHARED
                    ? 0 : pair);
        };
    }

    /** The request of one cell of one pair, judged and explained at the run's t. */
    VerificationRequest request(String id, String variant, String strategy, int pct, PreparedPair p, RgbImage image1,
            boolean explain) throws IOException {
        Map<String, String> tags = new HashMap<>();
        tags.put(EvaluationTags.RUN, plan.run());
        tags.put(EvaluationTags.MODEL, plan.model());
        tags.put(EvaluationTags.DATASET, plan.datasetName());
        tags.put(EvaluationTags.VARIANT, variant);
        tags.put(EvaluationTags.STRATEGY, strategy);
        tags.put(EvaluationTags.PERCENTAGE, Integer.toString(pct));
        tags.put(EvaluationTags.PAIR, Integer.toString(p.index()));
        tags.put(EvaluationTags.GENUINE, Boolean.toString(p.pair().genuine()));
        tags.put(EvaluationTags.THRESHOLD, Double.toString(t));
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(EvaluationInputs.png(image1)))
                .setReference(ByteBuffer.wrap(p.secondPng()))
                .setProbeAligned(true).setReferenceAligned(true).setExplain(explain).setModelId(plan.model())
                // Judged and explained at the run's t; the model's live threshold is never touched.
                .setEvaluationThreshold(t)
                .setClientId(EvaluationRun.CLIENT_ID).setTags(tags).build();
    }
}
