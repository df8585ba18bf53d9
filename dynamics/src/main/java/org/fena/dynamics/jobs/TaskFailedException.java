package org.fena.dynamics.jobs;

/**
 * A task that could not be computed (after every retry its engine allows). The message names the
 * task's index and parameters, so a failed study says which point of the grid or which member of
 * the ensemble to look at.
 */
public final class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Marks the start of the message, so a cluster engine can find it in a remote stack trace. */
    public static final String PREFIX = "fena task ";

    private final int index;
    private final String parameters;

    /** A failure of task {@code index} (described as {@code parameters}) because of {@code cause}. */
    public TaskFailedException(int index, String parameters, Throwable cause) {
        super(PREFIX + index + " (" + parameters + ") failed: " + cause, cause);
        this.index = index;
        this.parameters = parameters;
    }

    /** A failure reported by message only (the remote cause is not available). */
    public TaskFailedException(int index, String message) {
        super(message);
        this.index = index;
        this.parameters = "";
    }

    /** The failed task's index. */
    public int index() {
        return index;
    }

    /** The failed task's parameters in words. */
    public String parameters() {
        return parameters;
    }
}
