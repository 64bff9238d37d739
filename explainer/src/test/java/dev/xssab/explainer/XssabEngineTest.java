package dev.xssab.explainer;

import dev.xssab.render.PairExplanation;
import dev.xssab.render.ArgumentMaps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** xSSAB on the real fr_feature model and real shared faces. */
class XssabEngineTest {
    private static final RecognitionModelSpec SPEC = RecognitionModelSpec.frFeature();
    private static final double T = SPEC.defaultThreshold();
    private static XssabEngine engine;

    @BeforeAll
    static void load() throws Exception {
        engine = XssabEngine.load(SPEC, ModelStore.fromEnvironment());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static List<FacePair> realPairs(int n) {
        List<FacePair> pairs = new ArrayList<>();
        List<String[]> labelled = SharedAlignedFaces.pairs();
        // A mix of genuine and impostor pairs: every 7th row of the list.
        for (int i = 0; pairs.size() < n; i += 7) {
            String[] row = labelled.get(i % labelled.size());
            pairs.add(new FacePair(SharedAlignedFaces.get(row[0]), SharedAlignedFaces.get(row[1])));
        }
        return pairs;
    }

    @Test
    void argumentsDecomposeTheCosineAndMapsAreWellFormedInBothDirections() throws Exception {
        List<FacePair> pairs = realPairs(10);
        List<PairExplanation> explained = engine.explain(pairs, T);
        double[] scores = engine.score(pairs);
        assertEquals(pairs.size(), explained.size());
        for (int k = 0; k < pairs.size(); k++) {
            PairExplanation e = explained.get(k);
            assertEquals(scores[k], e.cosine(), 1e-5, "pair " + k + ": explain and score disagree on the cosine");
            for (ArgumentMaps maps : List.of(e.probeMaps(), e.referenceMaps())) {
                assertTrue(Math.abs(maps.sPlus() + maps.sMinus() - e.cosine()) <= 1e-5,
                        "pair " + k + ": s+ + s- = " + (maps.sPlus() + maps.sMinus()) + " but cos = " + e.cosine());
                assertEquals(SPEC.width(), maps.width());
                assertEquals(SPEC.height(), maps.height());
                assertEquals(SPEC.width() * SPEC.height(), maps.positive().length);
                assertEquals(SPEC.width() * SPEC.height(), maps.negative().length);
                double positiveMass = 0;
                for (int i = 0; i < maps.positive().length; i++) {
                    float p = maps.positive()[i];
                    float n = maps.negative()[i];
                    assertTrue(Float.isFinite(p) && p >= 0, "positive map value " + p);
                    assertTrue(Float.isFinite(n) && n >= 0, "negative map value " + n);
                    assertTrue(Float.isFinite(maps.combined()[i]));
                    positiveMass += p;
                }
                assertTrue(positiveMass > 0, "positive map is all zero for pair " + k);
            }
            // The two images of a pair get different maps: each is explained against the other.
            assertTrue(differ(e.probeMaps().positive(), e.referenceMaps().positive()));
        }
    }

    @Test
    void batchingDoesNotMixPairs() throws Exception {
        List<FacePair> pairs = realPairs(4);
        List<PairExplanation> batched = engine.explain(pairs, T);
        for (int k = 0; k < pairs.size(); k++) {
            PairExplanation alone = engine.explain(List.of(pairs.get(k)), T).get(0);
            assertEquals(alone.cosine(), batched.get(k).cosine(), 1e-5);
            float[] a = alone.probeMaps().combined();
            float[] b = batched.get(k).probeMaps().combined();
            double scale = IntStream.range(0, a.length).mapToDouble(i -> Math.abs(a[i])).max().orElse(1);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-3 * scale, "pair " + k + " pixel " + i);
            }
        }
    }

    /** Every front end (ONNX, TF.js graph, face-api) gives autograd the whole graph: gradients are exact. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fr_feature", "mobileface", "faceapi_resnet"})
    void gradientsMatchCentralFiniteDifferencesInFloat64(String modelId) throws Exception {
        RecognitionModelSpec spec = dev.xssab.models.ModelCatalog.byId(modelId);
        double t = spec.defaultThreshold();
        try (XssabEngine exact = XssabEngine.load(spec, ModelStore.fromEnvironment(), DataType.FLOAT64)) {
            RgbImage a = SharedAlignedFaces.all(spec).get("img1.jpg");
            RgbImage b = SharedAlignedFaces.all(spec).get("img2.jpg");
            double[] x = ModelInput.toDouble(ModelInput.nchw(List.of(a, b), spec));
            XssabEngine.Gradients g = exact.gradients(x, 1, t);
            int plane = 3 * spec.width() * spec.height();
            double[][] e = exact.embedTensor(x, 2);
            double bound = t / e[0].length;
            boolean[] positive = new boolean[e[0].length];
            for (int i = 0; i < positive.length; i++) {
                positive[i] = e[0][i] * e[1][i] >= bound;
            }
            // The 4 strongest s+ pixels of each image plus 2 of s-, away from flat regions where a
            // relative error is meaningless.
            int checked = 0;
            for (int side = 0; side < 2; side++) {
                for (boolean plus : new boolean[] {true, false}) {
                    double[] grad = plus ? g.plus() : g.minus();
                    int offset = side * plane;
                    List<Integer> strongest = IntStream.range(0, plane).boxed()
                            .sorted(Comparator.comparingDouble(i -> -Math.abs(grad[offset + i])))
                            .limit(plus ? 4 : 2).toList();
                    for (int idx : strongest) {
                        double h = 1e-4;
                        double[] up = x.clone();
                        double[] down = x.clone();
                        up[offset + idx] += h;
                        down[offset + idx] -= h;
                        double fd = (argument(exact, up, side, positive, plus) - argument(exact, down, side, positive, plus)) / (2 * h);
                        double analytic = grad[offset + idx];
                        double rel = Math.abs(fd - analytic) / Math.max(Math.abs(fd), Math.abs(analytic));
                        System.out.printf("%s side %d %s idx %d: analytic %.6e fd %.6e rel %.2e%n", modelId, side,
                                plus ? "s+" : "s-", idx, analytic, fd, rel);
                        assertTrue(rel <= 1e-3, "relative error " + rel + " at " + idx);
                        checked++;
                    }
                }
            }
            assertEquals(12, checked);
        }
    }

    /** s+ (or s-) of one side with the other side's embedding and the mask held fixed. */
    private static double argument(XssabEngine exact, double[] x, int side, boolean[] positive, boolean plus)
            throws Exception {
        double[][] e = exact.embedTensor(x, 2);
        double s = 0;
        for (int i = 0; i < positive.length; i++) {
            if (positive[i] == plus) {
                s += e[0][i] * e[1][i];
            }
        }
        return s;
    }

    @Test
    void nativeMemoryDoesNotGrowOverRepeatedCalls() throws Exception {
        List<FacePair> pair = realPairs(1);
        engine.explain(pair, T);
        engine.score(pair);
        int baseline = engine.liveNativeArrays();
        for (int i = 0; i < 200; i++) {
            engine.explain(pair, T);
            engine.score(pair);
        }
        assertEquals(baseline, engine.liveNativeArrays(), "NDArrays left behind by 200 explain+score calls");
    }

    private static boolean differ(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return true;
            }
        }
        return false;
    }
}
