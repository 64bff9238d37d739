package dev.xssab.schemas.serde;

/**
 * The registry refused this client's credentials (401) or their rights (403). A configuration
 * problem of the process, not a verdict on any record: like an unreachable registry, the record
 * in hand is retried or the service stops, and is never rejected as malformed.
 */
public final class SchemaRegistryAccessDeniedException extends SchemaRegistryUnavailableException {
    private final int status;

    public SchemaRegistryAccessDeniedException(int status, String message) {
        super(message, null);
        this.status = status;
    }

    /** 401 (no or wrong credentials) or 403 (not allowed). */
    public int status() {
        return status;
    }
}
