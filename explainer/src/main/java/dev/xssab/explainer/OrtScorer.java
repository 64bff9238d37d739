package dev.xssab.explainer;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.xssab.models.ModelStore;
import dev.xssab.models.OrtModels;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.util.List;

/**
 * The fast path: scores on ONNX Runtime, no gradients. Used for score-only requests. Exports
 * traced at batch 1 (fr_feature's final Reshape is [1,-1]) run one image per call. Not
 * thread-safe: one per thread.
 */
public final class OrtScorer implements PairScorer {
    private final RecognitionModelSpec spec;
    private final Model model;
    private final Predictor<RgbImage, float[]> predictor;
    /** DJL's Model and Predictor do not say whether they are closed. */
    private volatile boolean closed;

    public OrtScorer(RecognitionModelSpec spec, ModelStore store, int intraOpThreads) {
        this.spec = spec;
        this.model = OrtModels.load(spec.modelPath(store), spec.id(), intraOpThreads);
        this.predictor = model.newPredictor(new EmbeddingTranslator(spec));
    }

    @Override
    public String modelId() {
        return spec.id();
    }

    /** Raw (not normalised) embedding of one aligned face. */
    public float[] embed(RgbImage image) throws InferenceException {
        try {
            return predictor.predict(image);
        } catch (TranslateException | RuntimeException e) {
            throw new InferenceException("ONNX Runtime embedding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public double[] score(List<FacePair> pairs) throws InferenceException {
        double[] out = new double[pairs.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ModelInput.cosine(ModelInput.toDouble(embed(pairs.get(k).probe())),
                    ModelInput.toDouble(embed(pairs.get(k).reference())));
        }
        return out;
    }

    @Override
    public String problem() {
        return closed ? "ONNX Runtime scorer of " + spec.id() + " is closed" : null;
    }

    @Override
    public void close() {
        closed = true;
        predictor.close();
        model.close();
    }

    /** Aligned face to the model's normalised NCHW tensor; output row to floats. */
    static final class EmbeddingTranslator implements NoBatchifyTranslator<RgbImage, float[]> {
        private final RecognitionModelSpec spec;

        EmbeddingTranslator(RecognitionModelSpec spec) {
            this.spec = spec;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, RgbImage image) {
            float[] data = ModelInput.nchw(List.of(image), spec);
            return new NDList(ctx.getNDManager().create(data, new Shape(1, 3, spec.height(), spec.width())));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.get(0).toFloatArray();
        }
    }
}
