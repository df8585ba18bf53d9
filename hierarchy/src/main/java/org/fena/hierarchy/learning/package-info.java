/**
 * Local learning rules of a predictive-coding hierarchy: the Hebbian weight and bias rule
 * ({@link org.fena.hierarchy.learning.HebbianRule}: {@code dW_l ∝ (Pi_l eps_l ⊙ f'_l) x_{l+1}'}),
 * its application by plain SGD or Adam with per-layer rates
 * ({@link org.fena.hierarchy.learning.LocalLearner}, {@link org.fena.hierarchy.learning.UpdateRule}),
 * and precision learning by the covariance rule with a floor and a ceiling
 * ({@link org.fena.hierarchy.learning.PrecisionRule}). No time-stepping lives here: the regimes
 * that decide when a rule fires are in {@code org.fena.dynamics.learning}.
 */
package org.fena.hierarchy.learning;
