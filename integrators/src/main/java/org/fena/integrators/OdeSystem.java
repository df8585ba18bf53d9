package org.fena.integrators;

/**
 * A first-order system {@code dy/dt = f(t, y)} over a flat {@code double[]} state: the vector
 * field, kept apart from the solver that steps it and from what is recorded.
 */
public interface OdeSystem {

    /** Number of components of the state {@code y}. */
    int dimension();

    /**
     * Writes {@code f(t, y)} into {@code yDot}. Both arrays are owned by the caller and have
     * length {@link #dimension()}; an implementation must neither keep them nor allocate.
     */
    void derivative(double t, double[] y, double[] yDot);
}
