package dev.xssab.kafka.client;

/**
 * A client could not publish or reach the cluster: a user's problem (address, credentials,
 * permissions, a lost record), with a one-line message naming the cause.
 */
public final class PipelineClientException extends RuntimeException {
    public PipelineClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
