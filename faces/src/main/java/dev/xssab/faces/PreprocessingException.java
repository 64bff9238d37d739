package dev.xssab.faces;

import dev.xssab.schemas.ReasonCode;

/** An image was refused by preprocessing; {@link #reason()} says why in a stable code. */
public class PreprocessingException extends Exception {
    private final ReasonCode reason;

    public PreprocessingException(ReasonCode reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PreprocessingException(ReasonCode reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }

    @Override
    public String toString() {
        return reason + ": " + getMessage();
    }
}
