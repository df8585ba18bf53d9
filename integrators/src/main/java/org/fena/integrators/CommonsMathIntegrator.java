package org.fena.integrators;

import java.util.Locale;

import org.apache.commons.math3.exception.util.ExceptionContextProvider;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.FirstOrderIntegrator;
import org.apache.commons.math3.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.apache.commons.math3.ode.sampling.StepHandler;
import org.apache.commons.math3.ode.sampling.StepInterpolator;

/**
 * Runs any Commons Math {@link FirstOrderIntegrator} behind our {@link Integrator} interface, so
 * that its methods (Dormand–Prince 8(5,3), Gragg–Bulirsch–Stoer, Adams, ...) can be compared with
 * the built-in ones under the same observers and stop rules.
 *
 * <p>Each Commons Math step is copied into a {@link StepState}: the state from its interpolator,
 * and the vector field evaluated anew at that state (one extra evaluation per step, counted), so
 * stop rules judge convergence on the true rate of change and, as with the built-in methods, the
 * last evaluation before observers run is at the observed state. Commons Math allocates per step. Rejected steps
 * are not reported by Commons Math and count as 0; {@code rhsEvaluations} counts every call to
 * the vector field, including our initial one at {@code t0}.
 *
 * <p>The delegate is stateful (its step handlers are set per run): one run at a time per instance.
 */
public final class CommonsMathIntegrator implements Integrator {

    /** End time handed to Commons Math when the stop rule has no horizon. */
    static final double UNBOUNDED_SPAN = 1e30;

    private final String name;
    private final int order;
    private final FirstOrderIntegrator delegate;

    /**
     * Wraps {@code delegate}.
     *
     * @param name  the name a configuration picks it by
     * @param order the order of convergence the delegate achieves
     */
    public CommonsMathIntegrator(String name, int order, FirstOrderIntegrator delegate) {
        this.name = name;
        this.order = order;
        this.delegate = delegate;
    }

    /** The wrapped Commons Math integrator. */
    public FirstOrderIntegrator delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public boolean isAdaptive() {
        return delegate instanceof AdaptiveStepsizeIntegrator;
    }

    /** Unwinds Commons Math's loop when a stop rule ends the run; no stack trace to fill. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("stop rule fired", null, false, false);
        }
    }

    @Override
    public IntegrationResult integrate(OdeSystem system, double t0, double[] y, StopRule stop,
                                       StepObserver... observers) {
        final int n = system.dimension();
        if (y.length != n) {
            throw new IllegalArgumentException("state has " + y.length + " components, system has " + n);
        }
        final MutableStepState st = new MutableStepState(y.clone(), new double[n], new double[n],
                new double[n]);
        FirstOrderDifferentialEquations equations = new FirstOrderDifferentialEquations() {
            @Override
            public int getDimension() {
                return n;
            }

            @Override
            public void computeDerivatives(double t, double[] yy, double[] yDot) {
                system.derivative(t, yy, yDot);
                st.evals++;
            }
        };
        system.derivative(t0, st.y, st.yDot);
        st.evals = 1;
        st.startAt(t0);
        stop.start(st);
        final double horizon = RungeKuttaIntegrator.checkedHorizon(stop, t0);
        for (StepObserver o : observers) {
            o.start(st);
        }
        if (t0 >= horizon) {
            Termination termination = RungeKuttaIntegrator.atHorizon(stop, st);
            return finish(st, termination, observers);
        }

        final Termination[] ended = new Termination[1];
        final Stop signal = new Stop();
        StepHandler handler = new StepHandler() {
            @Override
            public void init(double t0_, double[] y0, double t) {
            }

            @Override
            public void handleStep(StepInterpolator interpolator, boolean isLast) {
                double tPrev = interpolator.getPreviousTime();
                double tCur = interpolator.getCurrentTime();
                System.arraycopy(st.y, 0, st.prevY, 0, n);
                System.arraycopy(st.yDot, 0, st.prevYDot, 0, n);
                interpolator.setInterpolatedTime(tCur);
                System.arraycopy(interpolator.getInterpolatedState(), 0, st.y, 0, n);
                // the interpolator's derivative is only as good as its dense output (Nordsieck methods'
                // is visibly off), and stop rules judge convergence on it: evaluate the field itself
                system.derivative(tCur, st.y, st.yDot);
                st.evals++;
                st.prevT = tPrev;
                st.t = tCur;
                st.steps++;
                for (int i = 0; i < n; i++) {
                    if (!Double.isFinite(st.y[i])) {
                        throw new DivergenceException(st.steps, tCur, i);
                    }
                }
                for (StepObserver o : observers) {
                    o.step(st);
                }
                Termination t = stop.check(st);
                if (t != null) {
                    ended[0] = t;
                    throw signal;
                }
            }
        };
        double end = Double.isInfinite(horizon) ? t0 + UNBOUNDED_SPAN * Math.max(1.0, Math.abs(t0))
                : horizon;
        delegate.clearStepHandlers();
        delegate.addStepHandler(handler);
        try {
            delegate.integrate(equations, t0, y, end, y);
        } catch (Stop s) {
            System.arraycopy(st.y, 0, y, 0, n);
        } catch (RuntimeException ex) {
            if (ex instanceof ExceptionContextProvider) {
                throw new IntegrationException(String.format(Locale.ROOT,
                        "%s (Commons Math %s) failed after %d steps near t = %.9g: %s", name,
                        delegate.getName(), st.steps, st.t, ex.getMessage()), ex);
            }
            throw ex;
        } finally {
            delegate.clearStepHandlers();
        }
        Termination termination = ended[0] != null ? ended[0] : RungeKuttaIntegrator.horizonReached(st);
        return finish(st, termination, observers);
    }

    private static IntegrationResult finish(MutableStepState st, Termination termination,
                                            StepObserver[] observers) {
        for (StepObserver o : observers) {
            o.finish(st, termination);
        }
        return new IntegrationResult(termination, st.t, st.steps, st.rejected, st.evals);
    }

    @Override
    public String toString() {
        return name + " (Commons Math " + delegate.getName() + ")";
    }
}
