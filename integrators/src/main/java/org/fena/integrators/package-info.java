/**
 * Generic ODE stepping over flat {@code double[]} states; knows nothing of predictive coding.
 *
 * <p>Four separate parts: the vector field ({@link org.fena.integrators.OdeSystem}), the solver
 * ({@link org.fena.integrators.Integrator}: the Runge–Kutta engine fed a
 * {@link org.fena.integrators.ButcherTableau}, or a Commons Math method behind
 * {@link org.fena.integrators.CommonsMathIntegrator}), its step-size settings
 * ({@link org.fena.integrators.StepSettings}), and what is recorded or when to stop
 * ({@link org.fena.integrators.StepObserver}, {@link org.fena.integrators.StopRule}). Pick a
 * solver by name with {@link org.fena.integrators.Integrators#create}.
 */
package org.fena.integrators;
