package dev.xssab.cli;

/** A mistake the user can fix (a bad argument, a missing file): reported in one line, no stack trace. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
