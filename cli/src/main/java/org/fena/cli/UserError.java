package org.fena.cli;

/**
 * A mistake in what the user gave (a file, a key, a value): reported as one clear message and
 * exit status 2, never as a stack trace.
 */
public final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the error with the message the user will read. */
    public UserError(String message) {
        super(message);
    }

    /** Creates the error with the message the user will read and its cause (for debugging). */
    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
