package dev.xssab.explainer;

/** The model failed on an input. Every engine error reaches callers as this one checked type. */
public class InferenceException extends Exception {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public InferenceException(String message) {
        super(message);
    }
}
