package org.fena.integrators;

/**
 * Decides after each accepted step whether the run ends. Rules are stateful only through
 * {@link #start}, so one instance serves one run at a time.
 */
public interface StopRule {

    /** Called with the initial state before the first step. */
    default void start(StepState state) {
    }

    /** Returns {@code null} to go on, or why the run ends now. Must not allocate on the go-on path. */
    Termination check(StepState state);

    /**
     * Time the integrator must land on exactly and not step past, {@code +infinity} if none.
     */
    default double horizon() {
        return Double.POSITIVE_INFINITY;
    }
}
