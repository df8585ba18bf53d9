package org.fena.integrators;

/**
 * A solver for {@code dy/dt = f(t, y)}: steps a vector field from an initial state until a stop
 * rule ends the run, telling observers of every accepted step.
 *
 * <p>Workspaces are sized once per call to {@link #integrate} and reused for every step: the
 * stepping loop allocates nothing. Before observers and stop rules see an accepted step, the
 * last call to {@link OdeSystem#derivative} was at exactly that step's {@code (t, y)} for the
 * built-in methods (the vector field may cache by-products of that evaluation, such as an energy).
 */
public interface Integrator {

    /** The name a configuration uses to pick this method, e.g. {@code rk4} or {@code dopri5}. */
    String name();

    /** Order of convergence of the propagated solution. */
    int order();

    /** Whether the step size is chosen by error control. */
    boolean isAdaptive();

    /**
     * Integrates from {@code (t0, y)} until {@code stop} ends the run; {@code y} is updated in
     * place and holds the final state on return.
     *
     * @throws DivergenceException when the state becomes NaN or infinite
     * @throws IntegrationException when the step size underflows or the delegate fails
     */
    IntegrationResult integrate(OdeSystem system, double t0, double[] y, StopRule stop,
                                StepObserver... observers);
}
