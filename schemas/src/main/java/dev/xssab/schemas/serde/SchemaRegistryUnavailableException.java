package dev.xssab.schemas.serde;

/**
 * The registry could not be reached, or answered with a server error, through every retry.
 * Unlike its parent this says nothing about the record being handled: a service that sees it
 * must retry the record later, never reject it as malformed.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {
    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
