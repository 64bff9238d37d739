package dev.xssab.audit;

/**
 * The audit key file is missing, garbled or the wrong one for the stored rows: an operator's
 * mistake, reported in one line that names the file and the key id, never key or image bytes.
 */
public final class AuditKeyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditKeyException(String message) {
        super(message);
    }

    public AuditKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
