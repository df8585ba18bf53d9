package org.fena.integrators;

import java.util.List;
import java.util.Locale;

/**
 * Fixed-step integration of additive-noise SDEs {@code dy = f(t, y) dt + g(t) ⊙ dW}
 * ({@link SdeSystem}) behind the {@link Integrator} interface. A step of size {@code h} draws
 * {@code z ~ N(0, I)} from the system's {@link NoiseSource} and uses {@code dW = sqrt(h) z}: the
 * Brownian increment has variance {@code h}, so the stationary spread does not depend on the step.
 *
 * <p>Every step draws its normals, even where {@code g = 0}, so step {@code k} always consumes the
 * {@code k}-th draws of the stream; where {@code g(t) = 0} nothing is added and the step is exactly
 * the deterministic method's. Given a plain {@link OdeSystem}, the drift alone is stepped.
 *
 * <p>As with {@link RungeKuttaIntegrator}: workspaces are allocated once per {@link #integrate}
 * call, the loop allocates nothing, every accepted step ends with a drift evaluation at exactly
 * its {@code (t, y)}, times are {@code t0 + n h} (no drift of the grid), the last step is clipped to
 * land on the stop rule's horizon (its increment then has variance equal to the shorter step), and
 * a non-finite state throws {@link DivergenceException}. An instance holds only its step, so it may
 * serve several threads at once; each run's randomness lives in its system's noise source.
 */
public abstract class StochasticIntegrator implements Integrator {

    /** Names {@link #create} knows. */
    public static final List<String> NAMES = List.of("euler-maruyama", "stochastic-heun");

    private final double step;

    /** A method stepping at {@code step > 0}. */
    protected StochasticIntegrator(double step) {
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("step must be a finite number > 0, got " + step);
        }
        this.step = step;
    }

    /**
     * The method called {@code name} ({@code euler-maruyama}, alias {@code em}; {@code stochastic-heun},
     * alias {@code heun-sde}, {@code sra}) at step {@code step}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad step
     */
    public static StochasticIntegrator create(String name, double step) {
        return switch (canonicalName(name)) {
            case "euler-maruyama" -> new EulerMaruyama(step);
            default -> new StochasticHeun(step);
        };
    }

    /**
     * The canonical name for {@code name}, lower-cased with aliases resolved.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static String canonicalName(String name) {
        String k = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (k) {
            case "euler-maruyama", "em" -> "euler-maruyama";
            case "stochastic-heun", "heun-sde", "sra" -> "stochastic-heun";
            default -> throw new IllegalArgumentException("unknown stochastic integrator '" + name
                    + "'; known: euler-maruyama (alias em), stochastic-heun (aliases heun-sde, sra)");
        };
    }

    /** The fixed step {@code h}. */
    public double step() {
        return step;
    }

    @Override
    public boolean isAdaptive() {
        return false;
    }

    /** Strong order of convergence on additive-noise SDEs (pathwise error {@code ~ h^p}). */
    public abstract double strongOrder();

    /** Weak order of convergence (error of moments {@code ~ h^p}) that the tests guard. */
    public abstract double weakOrder();

    /** Number of drift evaluations per step, the final one at the accepted state included. */
    protected abstract int evaluationsPerStep();

    /**
     * Computes one step from {@code (t, y)} with drift {@code f = f(t, y)} into {@code yNew}, over
     * {@code h} with increments {@code dW = sqrt(h) z} already drawn into {@code w.z} (all zeros
     * and {@code sde == null} for a plain ODE). Must not evaluate the drift at {@code (t + h, yNew)}:
     * the engine does that after the step. Returns whether {@code yNew} is finite.
     */
    protected abstract boolean advance(OdeSystem drift, SdeSystem sde, double t, double h, double[] y,
                                       double[] f, double[] yNew, Workspace w);

    @Override
    public IntegrationResult integrate(OdeSystem system, double t0, double[] y, StopRule stop,
                                       StepObserver... observers) {
        final int n = system.dimension();
        if (y.length != n) {
            throw new IllegalArgumentException("state has " + y.length + " components, system has " + n);
        }
        final SdeSystem sde = system instanceof SdeSystem s ? s : null;
        final NoiseSource noise = sde == null ? null : sde.noise();
        MutableStepState st = new MutableStepState(y, new double[n], new double[n], new double[n]);
        Workspace w = new Workspace(n);

        system.derivative(t0, st.y, st.yDot);
        st.evals = 1;
        st.startAt(t0);
        stop.start(st);
        final double horizon = RungeKuttaIntegrator.checkedHorizon(stop, t0);
        for (StepObserver o : observers) {
            o.start(st);
        }
        Termination termination = t0 >= horizon ? RungeKuttaIntegrator.atHorizon(stop, st) : null;
        final int extraEvals = evaluationsPerStep() - 1;
        while (termination == null) {
            final double t = st.t;
            double tNew = t0 + (st.steps + 1) * step;
            if (tNew >= horizon - 1e-9 * step) {
                tNew = horizon;
            }
            final double h = tNew - t;
            if (!(h > 0)) {
                throw new IntegrationException(String.format(Locale.ROOT,
                        "%s: step size underflow at t = %.17g (step %d)", name(), t, st.steps + 1));
            }
            if (noise != null) {
                noise.standardNormals(w.z);
                final double sq = Math.sqrt(h);
                final double[] z = w.z;
                for (int m = 0; m < n; m++) {
                    z[m] *= sq;
                }
            }
            final double[] yNew = st.prevY;
            boolean finite = advance(system, sde, t, h, st.y, st.yDot, yNew, w);
            st.evals += extraEvals;
            if (!finite) {
                throw new DivergenceException(st.steps + 1, tNew, firstNonFinite(yNew));
            }
            system.derivative(tNew, yNew, st.prevYDot);
            st.evals++;
            st.accept(tNew);
            for (StepObserver o : observers) {
                o.step(st);
            }
            termination = stop.check(st);
            if (termination == null && st.t >= horizon) {
                termination = RungeKuttaIntegrator.horizonReached(st);
            }
        }
        if (st.y != y) {
            System.arraycopy(st.y, 0, y, 0, n);
        }
        for (StepObserver o : observers) {
            o.finish(st, termination);
        }
        return new IntegrationResult(termination, st.t, st.steps, st.rejected, st.evals);
    }

    /** Whether any entry of {@code g} is non-zero: where none is, a step adds no noise at all. */
    protected static boolean anyNonZero(double[] g) {
        for (double v : g) {
            if (v != 0.0) {
                return true;
            }
        }
        return false;
    }

    private static int firstNonFinite(double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return name() + " (fixed step " + step + ")";
    }

    /**
     * Buffers a run reuses for every step: the increments {@code dW} (in {@code z}), the noise
     * scales at both ends of the step, and one stage.
     */
    protected static final class Workspace {
        /** {@code dW = sqrt(h) z} of the current step. */
        public final double[] z;
        /** {@code g(t)}. */
        public final double[] g0;
        /** {@code g(t + h)}. */
        public final double[] g1;
        /** A stage state. */
        public final double[] stage;
        /** The drift at the stage state. */
        public final double[] stageDrift;

        Workspace(int n) {
            z = new double[n];
            g0 = new double[n];
            g1 = new double[n];
            stage = new double[n];
            stageDrift = new double[n];
        }
    }
}
