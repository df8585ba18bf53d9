package org.fena.integrators;

/**
 * A stochastic differential equation with additive diagonal noise,
 * {@code dy = f(t, y) dt + g(t) ⊙ dW}: the drift {@code f} is the {@link OdeSystem} part, the
 * per-component scale {@code g(t)} does not depend on the state, and {@link #noise()} drives
 * {@code dW}. Langevin settling {@code dx = -(1/tau) dE/dx dt + sqrt(2 T(t) / tau) dW} is one.
 *
 * <p>A stochastic integrator handed a plain {@link OdeSystem} steps its drift alone.
 */
public interface SdeSystem extends OdeSystem {

    /**
     * Writes the noise scale {@code g(t)} (one entry per component, {@code >= 0}) into {@code g};
     * must not keep the array nor allocate.
     */
    void diffusion(double t, double[] g);

    /** The source of the standard normal draws behind {@code dW}, one run's worth. */
    NoiseSource noise();
}
