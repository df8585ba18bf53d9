package org.fena.integrators;

/**
 * A scalar read off an accepted step (an energy, a norm, one component) whose settling a
 * {@link StopRules#change change} rule watches. Must not allocate.
 */
@FunctionalInterface
public interface ScalarMonitor {

    /** The monitored value at the accepted step {@code s}. */
    double value(StepState s);
}
