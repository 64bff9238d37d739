package dev.xssab.executor;

/** A model file (ONNX, TF.js graph, face-api weights) that is not well formed. */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }
}
