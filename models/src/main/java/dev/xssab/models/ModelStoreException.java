package dev.xssab.models;

/** A model file could not be fetched, found or trusted. The message tells the user what to do. */
public class ModelStoreException extends RuntimeException {
    public ModelStoreException(String message) {
        super(message);
    }

    public ModelStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
