package org.fena.dynamics.langevin;

/**
 * An energy {@code E(x)} over a flat state with its gradient: what Langevin settling descends.
 * A hierarchy's free layers are one (through {@link LangevinSettler}); a plain function such as
 * {@link GaussianWells} is another, for experiments whose minima are known.
 *
 * <p>Implementations may keep scratch buffers: one instance serves one thread.
 */
public interface EnergyLandscape {

    /** Number of components of the state {@code x}. */
    int dimension();

    /**
     * Returns {@code E(x)} and, when {@code grad} is not null, writes {@code dE/dx} into it; must
     * neither keep the arrays nor allocate.
     */
    double energy(double[] x, double[] grad);
}
