package dev.xssab.schemas;

/**
 * What a requestId may be, for every stage that takes one: the gateway refuses a request with
 * another, and the UI and the audit store look up no other (their key column holds 256).
 */
public final class RequestIds {
    /** The longest requestId, in characters. */
    public static final int MAX_LENGTH = 256;

    private RequestIds() {}

    /** Non-blank and at most {@link #MAX_LENGTH} characters. */
    public static boolean valid(String id) {
        return id != null && !id.isBlank() && id.length() <= MAX_LENGTH;
    }
}
