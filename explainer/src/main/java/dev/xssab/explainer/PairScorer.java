package dev.xssab.explainer;

import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

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
     * The ONNX Runtime fast path, for ONNX files only; the formats only the DJL executor reads
     * (TF.js graphs, face-api's ResNet) have none. The one place this choice is made: the
     * explainer service and {@link #open} both ask here.
     */
    static Optional<PairScorer> onnxRuntime(RecognitionModelSpec spec, ModelStore store) {
        return spec.isOnnx() ? Optional.of(new OrtScorer(spec, store, 0)) : Optional.empty();
    }

    /** The fastest scorer for a model: {@link #onnxRuntime} where there is one, else the DJL executor. */
    static PairScorer open(RecognitionModelSpec spec, ModelStore store) throws IOException {
        Optional<PairScorer> fast = onnxRuntime(spec, store);
        return fast.isPresent() ? fast.get() : XssabEngine.load(spec, store);
    }
}
