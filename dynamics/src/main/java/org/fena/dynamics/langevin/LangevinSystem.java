package org.fena.dynamics.langevin;

import org.fena.annealing.NoiseSchedule;
import org.fena.integrators.NoiseSource;
import org.fena.integrators.OdeSystem;
import org.fena.integrators.SdeSystem;

/**
 * Langevin dynamics {@code dx_i = f_i(t, x) dt + sqrt(2 T(t) / tau_i) dW_i}, where the drift
 * {@code f = -(1/tau) dE/dx} comes from a gradient flow ({@link org.fena.dynamics.PcFlow},
 * {@link LandscapeFlow}). The factor 2 and the {@code 1/tau} make {@code exp(-E/T)} the stationary
 * law at constant {@code T}, whatever the time constants: tau sets how fast a layer explores, not
 * where it ends up.
 */
public final class LangevinSystem implements SdeSystem {

    private final OdeSystem drift;
    private final double[] invSqrtTau;
    private final NoiseSchedule schedule;
    private final NoiseSource noise;

    /**
     * @param drift    the gradient flow {@code -(1/tau) dE/dx}
     * @param tau      time constant of every component ({@code > 0}), the same the drift uses
     * @param schedule {@code T(t)}
     * @param noise    the run's source of standard normals
     */
    public LangevinSystem(OdeSystem drift, double[] tau, NoiseSchedule schedule, NoiseSource noise) {
        if (tau.length != drift.dimension()) {
            throw new IllegalArgumentException("need " + drift.dimension() + " time constants, got " + tau.length);
        }
        this.drift = drift;
        this.invSqrtTau = new double[tau.length];
        for (int i = 0; i < tau.length; i++) {
            invSqrtTau[i] = 1.0 / Math.sqrt(tau[i]);
        }
        this.schedule = schedule;
        this.noise = noise;
    }

    @Override
    public int dimension() {
        return drift.dimension();
    }

    @Override
    public void derivative(double t, double[] y, double[] yDot) {
        drift.derivative(t, y, yDot);
    }

    @Override
    public void diffusion(double t, double[] g) {
        double s = Math.sqrt(2.0 * schedule.temperature(t));
        for (int i = 0; i < g.length; i++) {
            g[i] = s * invSqrtTau[i];
        }
    }

    @Override
    public NoiseSource noise() {
        return noise;
    }

    /** The temperature schedule. */
    public NoiseSchedule schedule() {
        return schedule;
    }
}
