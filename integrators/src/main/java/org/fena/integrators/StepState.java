package org.fena.integrators;

/**
 * Read-only view of the integration at an accepted step, handed to observers and stop rules.
 * The arrays are the integrator's workspaces: read them during the call, copy what must be kept.
 */
public interface StepState {

    /** Time of the accepted state. */
    double t();

    /** The accepted state {@code y(t)}. */
    double[] y();

    /** The vector field at the accepted state, {@code f(t, y(t))}. */
    double[] yDot();

    /** Time of the previous accepted state (equal to {@link #t()} before the first step). */
    double previousT();

    /** The previous accepted state. */
    double[] previousY();

    /** The vector field at the previous accepted state. */
    double[] previousYDot();

    /** Size of the step just taken ({@code t - previousT}). */
    double stepSize();

    /** Number of accepted steps so far. */
    long steps();

    /** Number of rejected step attempts so far (adaptive methods only). */
    long rejectedSteps();

    /** Number of evaluations of the vector field so far. */
    long rhsEvaluations();

    /**
     * Writes the state at time {@code time} in {@code [previousT, t]} into {@code out}, by cubic
     * Hermite interpolation on the two accepted states and their derivatives (third-order dense
     * output, whatever the method).
     */
    void interpolate(double time, double[] out);
}
