/**
 * Langevin (annealed) settling: {@code dx_l = -(1/tau_l) dE/dx_l dt + sqrt(2 T(t) / tau_l) dW_l}
 * on the free layers of a hierarchy ({@link org.fena.dynamics.langevin.LangevinSettler}) or on a
 * plain energy function ({@link org.fena.dynamics.langevin.EnergyLandscape}), with one seeded
 * random stream per sample, and the escape-from-traps experiment
 * ({@link org.fena.dynamics.langevin.EscapeExperiment}). At constant {@code T} the stationary law
 * is {@code p(x) ∝ exp(-E(x)/T)}; {@code T = 0} is the noise-free gradient flow.
 */
package org.fena.dynamics.langevin;
