package dev.xssab.explainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.SharedAlignedFaces;
import dev.xssab.explainer.XssabEngine;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.RgbImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One batch through the processor on the real fr_feature model and real shared faces, no broker. */
class PairBatchProcessorTest {
    private static final RecognitionModelSpec SPEC = RecognitionModelSpec.frFeature();
    private static final double LIVE = SPEC.defaultThreshold();
    private static XssabEngine engine;

    @BeforeAll
    static void load() throws Exception {
        engine = XssabEngine.load(SPEC, ModelStore.fromEnvironment());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static FacePair faces(String probe, String reference) {
        return new FacePair(SharedAlignedFaces.get(probe), SharedAlignedFaces.get(reference));
    }

    private static PairRequest<String> request(String id, String model, boolean explain, Double evaluationThreshold,
            FacePair faces) {
        return new PairRequest<>(id, model, explain, evaluationThreshold, () -> faces, id);
    }

    @Test
    void decidesAtTheLiveOrTheRequestsThresholdAndRejectsOnlyWhatFails() {
        RgbImage tooSmall = new RgbImage(1, 1, new byte[3]);
        List<PairRequest<String>> batch = List.of(
                request("genuine", null, false, null, faces("img1.jpg", "img2.jpg")),
                request("impostor", SPEC.id(), false, null, faces("img20.jpg", "img16.jpg")),
                request("genuine-explained", null, true, null, faces("img20.jpg", "img21.jpg")),
                request("genuine-strict", null, false, 0.9999, faces("img1.jpg", "img2.jpg")),
                request("unreadable-faces", null, false, null, new FacePair(tooSmall, tooSmall)),
                new PairRequest<>("unknown-model", "no-such-model", false, null, () -> {
                    throw new AssertionError("a request for a model not served is rejected before its faces are made");
                }, "unknown-model"));
        Map<String, Double> asked = new HashMap<>();
        PairBatchProcessor processor = new PairBatchProcessor(List.of(new ExplainerLoop.ServedModel(engine)), model -> {
            asked.put(model, LIVE);
            return LIVE;
        }, XssabMetrics.unregistered());

        Map<String, PairOutcome<String>> byId = new HashMap<>();
        processor.process(batch).forEach(o -> assertNull(byId.put(o.request().origin(), o), "one outcome per request"));

        assertEquals(batch.size(), byId.size());
        assertEquals(Map.of(SPEC.id(), LIVE), asked, "the live threshold is looked up per model");
        PairOutcome.Decided<String> genuine = decided(byId, "genuine");
        assertEquals(Decision.MATCH, genuine.decision(), "img1/img2 are one person: cos " + genuine.score() + " >= " + LIVE);
        assertEquals(LIVE, genuine.threshold());
        assertNull(genuine.explanation());
        PairOutcome.Decided<String> impostor = decided(byId, "impostor");
        assertEquals(Decision.NO_MATCH, impostor.decision(), "img20/img16 are two people: cos " + impostor.score() + " < " + LIVE);
        PairOutcome.Decided<String> explained = decided(byId, "genuine-explained");
        assertEquals(Decision.MATCH, explained.decision(), "cos " + explained.score());
        assertNotNull(explained.explanation(), "asked for, so explained");
        assertEquals(explained.score(), explained.explanation().cosine());
        PairOutcome.Decided<String> strict = decided(byId, "genuine-strict");
        assertEquals(genuine.score(), strict.score(), 1e-6, "the same pair in the same batch");
        assertEquals(0.9999, strict.threshold(), "an evaluation decides at its own threshold");
        assertEquals(Decision.NO_MATCH, strict.decision());
        assertEquals(ReasonCode.INFERENCE_FAILED, rejected(byId, "unreadable-faces").reason(), "rejected alone");
        PairOutcome.Rejected<String> unknown = rejected(byId, "unknown-model");
        assertEquals(ReasonCode.UNKNOWN_MODEL, unknown.reason());
        assertTrue(unknown.message().contains(SPEC.id()), unknown.message());
    }

    private static PairOutcome.Decided<String> decided(Map<String, PairOutcome<String>> byId, String id) {
        PairOutcome<String> o = byId.get(id);
        assertTrue(o instanceof PairOutcome.Decided<String>, id + ": " + o);
        return (PairOutcome.Decided<String>) o;
    }

    private static PairOutcome.Rejected<String> rejected(Map<String, PairOutcome<String>> byId, String id) {
        PairOutcome<String> o = byId.get(id);
        assertTrue(o instanceof PairOutcome.Rejected<String>, id + ": " + o);
        return (PairOutcome.Rejected<String>) o;
    }
}
