/**
 * Temperature schedules {@code T(t) >= 0} and the Langevin noise they inject into settling:
 * {@code dx_l = -(1/tau_l) dE/dx_l dt + sqrt(2 T(t) / tau_l) dW_l}.
 */
package org.fena.annealing;
