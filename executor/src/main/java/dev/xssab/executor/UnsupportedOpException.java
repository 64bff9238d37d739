package dev.xssab.executor;

/** The graph uses an operator (or an attribute value) the executor does not implement. */
public class UnsupportedOpException extends RuntimeException {
    public UnsupportedOpException(String message) {
        super(message);
    }
}
