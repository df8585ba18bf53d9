package org.fena.dynamics.langevin;

import org.fena.integrators.OdeSystem;

/**
 * The gradient flow of a landscape, {@code dx_i/dt = -(1/tau_i) dE/dx_i}: the drift of Langevin
 * settling. Each evaluation caches {@code E} and {@code |dE/dx|} at the state it was made at, so
 * a recorder of accepted steps reads them for free (the integrators' last evaluation of a step is
 * at its accepted state). One instance serves one run on one thread.
 */
public final class LandscapeFlow implements OdeSystem {

    private final EnergyLandscape landscape;
    private final double[] invTau;
    private final double[] grad;
    private double energy;
    private double gradNorm;

    /** The flow of {@code landscape} with time constants {@code tau} (one per component, {@code > 0}). */
    public LandscapeFlow(EnergyLandscape landscape, double[] tau) {
        if (tau.length != landscape.dimension()) {
            throw new IllegalArgumentException("need " + landscape.dimension() + " time constants, got " + tau.length);
        }
        this.landscape = landscape;
        this.invTau = new double[tau.length];
        for (int i = 0; i < tau.length; i++) {
            if (!(tau[i] > 0) || Double.isInfinite(tau[i])) {
                throw new IllegalArgumentException("tau[" + i + "] must be a finite number > 0, got " + tau[i]);
            }
            invTau[i] = 1.0 / tau[i];
        }
        this.grad = new double[tau.length];
    }

    @Override
    public int dimension() {
        return invTau.length;
    }

    @Override
    public void derivative(double t, double[] y, double[] yDot) {
        energy = landscape.energy(y, grad);
        double s = 0;
        for (int i = 0; i < grad.length; i++) {
            yDot[i] = -invTau[i] * grad[i];
            s += grad[i] * grad[i];
        }
        gradNorm = Math.sqrt(s);
    }

    /** {@code E} at the state of the last evaluation. */
    public double lastEnergy() {
        return energy;
    }

    /** {@code |dE/dx|} at the state of the last evaluation. */
    public double lastGradNorm() {
        return gradNorm;
    }
}
