package dev.xssab.explainer;

import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.io.IOException;
import java.util.List;

/** Scores aligned pairs with one model, no gradients. Not thread-safe unless the implementation says so. */
public interface PairScorer extends AutoCloseable {
    /** The model id. */
    String modelId();

    /** Cosine similarities, one per pair. */
    double[] score(List<FacePair> pairs) throws InferenceException;

    /**
     * For readiness: null while the model is loaded and can be called, else why not (closed,
     * its native memory released).
     */
    String problem();

    @Override
    void close();

    /**
     * The fastest scorer for a model: ONNX Runtime for ONNX files, the DJL executor for the
     * formats only it reads (TF.js graphs, face-api's ResNet).
     */
    static PairScorer open(RecognitionModelSpec spec, ModelStore store) throws IOException {
        return spec.isOnnx() ? new OrtScorer(spec, store, 0) : XssabEngine.load(spec, store);
    }
}
