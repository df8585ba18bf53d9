package org.fena.integrators;

/**
 * Called on the initial state and on every accepted step: what is saved is the observer's
 * business, never the integrator's.
 */
public interface StepObserver {

    /** Called once before the first step; {@code state.steps()} is 0 and {@code t() == previousT()}. */
    default void start(StepState state) {
    }

    /** Called after every accepted step. */
    void step(StepState state);

    /** Called once when the run ends, normally or by a stop rule (not on divergence). */
    default void finish(StepState state, Termination termination) {
    }
}
