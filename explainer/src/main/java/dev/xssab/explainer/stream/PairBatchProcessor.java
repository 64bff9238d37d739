package dev.xssab.explainer.stream;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.InferenceException;
import dev.xssab.explainer.PairExplainer;
import dev.xssab.render.PairExplanation;
import dev.xssab.explainer.PairScorer;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.DecisionRule;
import dev.xssab.schemas.ReasonCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of requests -> one decision or one rejection each, with one forward pass per model
 * (and per threshold, for explanations) over its share of the batch. A pair that fails inside a
 * model call is retried alone and rejected alone. Knows nothing of Kafka.
 */
public final class PairBatchProcessor {
    /** The explainer's lines keep the one logger operators filter on. */
    private static final Logger LOG = LoggerFactory.getLogger(ExplainerLoop.class);

    /** The models served, by id; the first is the default for requests that name none. */
    private final Map<String, ExplainerLoop.ServedModel> served = new LinkedHashMap<>();
    private final String defaultModel;
    private final LiveThresholds thresholds;
    private final XssabMetrics metrics;

    /** @param metrics where model times are counted */
    public PairBatchProcessor(List<ExplainerLoop.ServedModel> models, LiveThresholds thresholds, XssabMetrics metrics) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an explainer serves at least one model");
        }
        models.forEach(m -> served.put(m.id(), m));
        this.defaultModel = models.get(0).id();
        this.thresholds = thresholds;
        this.metrics = metrics;
    }

    /** The served models, the default first. */
    public List<ExplainerLoop.ServedModel> models() {
        return List.copyOf(served.values());
    }

    private record Item<S>(PairRequest<S> request, FacePair faces, ExplainerLoop.ServedModel model) {}

    /** Unknown models' rejections first, in request order; then each model's outcomes, model by model. */
    public <S> List<PairOutcome<S>> process(List<PairRequest<S>> requests) {
        List<PairOutcome<S>> out = new ArrayList<>();
        Map<String, List<Item<S>>> byModel = new LinkedHashMap<>();
        for (PairRequest<S> request : requests) {
            ExplainerLoop.ServedModel model = served.get(request.modelId() == null ? defaultModel : request.modelId());
            if (model == null) {
                out.add(new PairOutcome.Rejected<>(request, ReasonCode.UNKNOWN_MODEL, "model " + request.modelId()
                        + " is not served here (this explainer serves " + String.join(", ", served.keySet()) + ")"));
                continue;
            }
            byModel.computeIfAbsent(model.id(), k -> new ArrayList<>()).add(new Item<>(request, request.faces().get(), model));
        }
        for (List<Item<S>> items : byModel.values()) {
            processModel(items.get(0).model(), items, out);
        }
        return out;
    }

    private <S> void processModel(ExplainerLoop.ServedModel model, List<Item<S>> items, List<PairOutcome<S>> out) {
        List<Item<S>> fast = new ArrayList<>();
        List<Item<S>> explained = new ArrayList<>();
        items.forEach(item -> (item.request().explain() ? explained : fast).add(item));
        double live = thresholds.thresholdFor(model.id());
        if (!fast.isEmpty()) {
            scoreOnly(model, fast, live, out);
        }
        // The threshold shapes the maps (the mask is t/d), so one model call per threshold in the
        // batch: live traffic at the live t, each evaluation at its run's t.
        Map<Double, List<Item<S>>> byThreshold = new LinkedHashMap<>();
        explained.forEach(item -> byThreshold.computeIfAbsent(item.request().threshold(live), k -> new ArrayList<>()).add(item));
        for (Map.Entry<Double, List<Item<S>>> group : byThreshold.entrySet()) {
            explainAt(model, group.getValue(), group.getKey(), explained.size(), out);
        }
    }

    private <S> void scoreOnly(ExplainerLoop.ServedModel model, List<Item<S>> fast, double live, List<PairOutcome<S>> out) {
        long t0 = System.nanoTime();
        double[] scores = scoreAll(model.fastScorer(), fast, out);
        metrics.modelTime(model.id(), "score", System.nanoTime() - t0);
        double ms = (System.nanoTime() - t0) / 1e6 / fast.size();
        for (int i = 0; i < fast.size(); i++) {
            if (!Double.isNaN(scores[i])) {
                out.add(decided(fast.get(i), scores[i], fast.get(i).request().threshold(live), ms, fast.size(), null));
            }
        }
    }

    private <S> void explainAt(ExplainerLoop.ServedModel model, List<Item<S>> group, double t, int explainedInBatch,
            List<PairOutcome<S>> out) {
        long t0 = System.nanoTime();
        PairExplanation[] done = explainAll(model.explainer(), group, t, out);
        metrics.modelTime(model.id(), "explain", System.nanoTime() - t0);
        double ms = (System.nanoTime() - t0) / 1e6 / group.size();
        for (int i = 0; i < group.size(); i++) {
            if (done[i] != null) {
                out.add(decided(group.get(i), done[i].cosine(), t, ms, explainedInBatch, done[i]));
            }
        }
    }

    private static <S> PairOutcome<S> decided(Item<S> item, double score, double t, double modelMs, int batchSize,
            PairExplanation explanation) {
        return new PairOutcome.Decided<>(item.request(), item.model().id(), score, t, DecisionRule.decide(score, t), modelMs,
                batchSize, explanation);
    }

    /** Scores in one call; if the batch fails, pair by pair, rejecting only the ones that fail. NaN marks a rejection. */
    private static <S> double[] scoreAll(PairScorer scorer, List<Item<S>> items, List<PairOutcome<S>> out) {
        try {
            return scorer.score(items.stream().map(Item::faces).toList());
        } catch (InferenceException | RuntimeException batchFailure) {
            double[] scores = new double[items.size()];
            for (int i = 0; i < items.size(); i++) {
                try {
                    scores[i] = scorer.score(List.of(items.get(i).faces()))[0];
                } catch (InferenceException | RuntimeException e) {
                    scores[i] = Double.NaN;
                    out.add(failed(items.get(i), e));
                }
            }
            return scores;
        }
    }

    private static <S> PairExplanation[] explainAll(PairExplainer explainer, List<Item<S>> items, double t,
            List<PairOutcome<S>> out) {
        try {
            return explainer.explain(items.stream().map(Item::faces).toList(), t).toArray(new PairExplanation[0]);
        } catch (InferenceException | RuntimeException batchFailure) {
            PairExplanation[] done = new PairExplanation[items.size()];
            for (int i = 0; i < items.size(); i++) {
                try {
                    done[i] = explainer.explain(List.of(items.get(i).faces()), t).get(0);
                } catch (InferenceException | RuntimeException e) {
                    out.add(failed(items.get(i), e));
                }
            }
            return done;
        }
    }

    private static <S> PairOutcome<S> failed(Item<S> item, Exception e) {
        LOG.warn("request {} failed in the model: {}", item.request().requestId(), e.toString());
        return new PairOutcome.Rejected<>(item.request(), ReasonCode.INFERENCE_FAILED, String.valueOf(e.getMessage()));
    }
}
