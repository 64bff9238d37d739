package dev.xssab.chaos.bench;

/** A bench could not measure: the pipeline did not answer in time. The message says what to check. */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }
}
