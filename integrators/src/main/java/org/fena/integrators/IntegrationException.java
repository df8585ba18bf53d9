package org.fena.integrators;

/** An integration that could not go on (step size underflow, delegate failure, divergence). */
public class IntegrationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message a person can read. */
    public IntegrationException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public IntegrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
