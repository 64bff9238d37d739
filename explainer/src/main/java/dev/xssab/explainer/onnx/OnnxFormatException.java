package dev.xssab.explainer.onnx;

/** The file is not a well-formed ONNX model. */
public class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }
}
