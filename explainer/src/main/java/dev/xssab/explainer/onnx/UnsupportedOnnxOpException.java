package dev.xssab.explainer.onnx;

/** The graph uses an operator (or an attribute value) the executor does not implement. */
public class UnsupportedOnnxOpException extends RuntimeException {
    public UnsupportedOnnxOpException(String message) {
        super(message);
    }
}
