package dev.xssab.schemas.serde;

/**
 * The registry refused a request (with Confluent's error code) or, as the subclass
 * {@link SchemaRegistryUnavailableException}, could not be reached.
 */
public class SchemaRegistryException extends RuntimeException {
    private final int errorCode;

    public SchemaRegistryException(int errorCode, String message) {
        super(message + " (error_code " + errorCode + ")");
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = -1;
    }

    /** Confluent's error_code (e.g. 40401 subject not found, 409 incompatible), -1 for I/O errors. */
    public int errorCode() {
        return errorCode;
    }
}
