package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.evaluator.Calibration;
import dev.xssab.evaluator.LabelledPair;
import dev.xssab.evaluator.PairsCsv;
import dev.xssab.explainer.FacePair;
import dev.xssab.explainer.PairScorer;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelCatalog;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import dev.xssab.testkit.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every built-in model on the 300 labelled shared pairs, end to end from the JPEG files (aligned
 * for each model: ArcFace 112 or the dlib 150 chip), scored as the CLI scores (ONNX Runtime or the
 * DJL executor).
 */
class VerificationTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fr_feature", "mobileface", "faceapi_resnet"})
    void eerOnTheSharedPairsIsAtMostOnePercentAndMatchesTheShippedThreshold(String modelId) throws Exception {
        Path dir = SharedData.deepface();
        RecognitionModelSpec spec = ModelCatalog.byId(modelId);
        ModelStore store = ModelStore.fromEnvironment();
        List<LabelledPair> pairs = PairsCsv.read(dir.resolve("pairs.csv"));
        assertEquals(300, pairs.size());
        Map<String, RgbImage> aligned = new HashMap<>();
        double[] scores = new double[pairs.size()];
        boolean[] genuine = new boolean[pairs.size()];
        try (FacePreprocessor pre = FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT);
                PairScorer scorer = PairScorer.open(spec, store)) {
            for (int i = 0; i < pairs.size(); i++) {
                LabelledPair p = pairs.get(i);
                for (String name : List.of(p.first(), p.second())) {
                    if (!aligned.containsKey(name)) {
                        aligned.put(name, pre.preprocess(Files.readAllBytes(dir.resolve(name))).image());
                    }
                }
                scores[i] = scorer.score(List.of(new FacePair(aligned.get(p.first()), aligned.get(p.second()))))[0];
                genuine[i] = p.genuine();
            }
        }
        Calibration c = Calibration.fromScores(scores, genuine);
        System.out.printf("%s: EER %.4f at threshold %.6f, accuracy %.4f%n", modelId, c.eer(), c.threshold(), c.accuracy());
        assertTrue(c.eer() <= 0.01, "EER " + c.eer());
        // The shipped default threshold is this calibration; a change to preprocessing that moves
        // it must update the model metadata too.
        assertEquals(spec.defaultThreshold(), c.threshold(), 1e-4);
        // Every pair decided as labelled at the shipped threshold: the same decisions on all 300
        // pairs as before the OpenCV decoder and warps replaced the hand-written ones.
        int agreed = 0;
        for (int i = 0; i < scores.length; i++) {
            agreed += (scores[i] >= spec.defaultThreshold()) == genuine[i] ? 1 : 0;
        }
        assertEquals(pairs.size(), agreed, "pairs decided as labelled at t=" + spec.defaultThreshold());
    }
}
