package dev.xssab.cli;

/** A mistake the user can fix (a bad argument, a missing file): reported in one line, no stack trace. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }
}
