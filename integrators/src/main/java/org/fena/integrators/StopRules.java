package org.fena.integrators;

import java.util.Locale;

/**
 * Generic stop rules: each factory returns a fresh rule (rules keep per-run state), and
 * {@link #anyOf} combines them. Convergence is judged on the rate of change or on the settling
 * of a monitored value, never on the size of the state.
 */
public final class StopRules {

    private StopRules() {
    }

    /** Ends the run at {@code tEnd}, on which the integrator lands exactly ({@code final-time}, not converged). */
    public static StopRule finalTime(double tEnd) {
        if (Double.isNaN(tEnd)) {
            throw new IllegalArgumentException("tEnd must not be NaN");
        }
        return new StopRule() {
            @Override
            public Termination check(StepState s) {
                if (s.t() < tEnd) {
                    return null;
                }
                return new Termination("final-time", false, String.format(Locale.ROOT,
                        "reached t = %.6g after %d steps", s.t(), s.steps()));
            }

            @Override
            public double horizon() {
                return tEnd;
            }

            @Override
            public String toString() {
                return "finalTime(" + tEnd + ")";
            }
        };
    }

    /** Ends the run after {@code maxSteps} accepted steps ({@code step-budget}, not converged). */
    public static StopRule stepBudget(long maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        }
        return new StopRule() {
            @Override
            public Termination check(StepState s) {
                if (s.steps() < maxSteps) {
                    return null;
                }
                return new Termination("step-budget", false, String.format(Locale.ROOT,
                        "used the budget of %d steps at t = %.6g", maxSteps, s.t()));
            }

            @Override
            public String toString() {
                return "stepBudget(" + maxSteps + ")";
            }
        };
    }

    /**
     * Converged when {@code ||w ⊙ yDot||_2 <= atol + rtol ||w ⊙ yDot(t0)||_2}
     * ({@code derivative-norm}, converged). With {@code w = tau} in a gradient flow
     * {@code tau dy/dt = -grad E} this is the norm of the gradient.
     *
     * @param weights per-component weights, or {@code null} for all ones; copied
     */
    public static StopRule derivativeNorm(double atol, double rtol, double[] weights) {
        if (!(atol >= 0) || !(rtol >= 0) || atol + rtol <= 0) {
            throw new IllegalArgumentException("atol and rtol must be >= 0 and not both 0, got atol="
                    + atol + ", rtol=" + rtol);
        }
        final double[] w = weights == null ? null : weights.clone();
        return new StopRule() {
            private double threshold;

            @Override
            public void start(StepState s) {
                if (w != null && w.length != s.yDot().length) {
                    throw new IllegalArgumentException("derivativeNorm has " + w.length
                            + " weights for a state of " + s.yDot().length + " components");
                }
                threshold = atol + rtol * norm(s.yDot());
            }

            @Override
            public Termination check(StepState s) {
                double norm = norm(s.yDot());
                if (!(norm <= threshold)) {
                    return null;
                }
                return new Termination("derivative-norm", true, String.format(Locale.ROOT,
                        "%s norm %.3g <= %.3g after %d steps (t = %.6g)",
                        w == null ? "derivative" : "weighted derivative", norm, threshold,
                        s.steps(), s.t()));
            }

            private double norm(double[] v) {
                double acc = 0.0;
                if (w == null) {
                    for (double x : v) {
                        acc += x * x;
                    }
                } else {
                    for (int i = 0; i < v.length; i++) {
                        double x = w[i] * v[i];
                        acc += x * x;
                    }
                }
                return Math.sqrt(acc);
            }

            @Override
            public String toString() {
                return "derivativeNorm(atol=" + atol + ", rtol=" + rtol + ")";
            }
        };
    }

    /**
     * Converged when the monitored value changes by at most {@code atol + rtol |m_n|} between
     * consecutive accepted steps, {@code window} steps in a row ({@code change}, converged). The
     * first step compares against the value at the initial state.
     */
    public static StopRule change(ScalarMonitor monitor, double atol, double rtol, int window) {
        if (!(atol >= 0) || !(rtol >= 0) || atol + rtol <= 0) {
            throw new IllegalArgumentException("atol and rtol must be >= 0 and not both 0, got atol="
                    + atol + ", rtol=" + rtol);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        return new StopRule() {
            private double previous;
            private int quiet;

            @Override
            public void start(StepState s) {
                previous = monitor.value(s);
                quiet = 0;
            }

            @Override
            public Termination check(StepState s) {
                double m = monitor.value(s);
                double delta = Math.abs(m - previous);
                double tol = atol + rtol * Math.abs(m);
                previous = m;
                quiet = delta <= tol ? quiet + 1 : 0;
                if (quiet < window) {
                    return null;
                }
                return new Termination("change", true, String.format(Locale.ROOT,
                        "monitored value %.9g changed by %.3g <= %.3g for %d consecutive steps"
                                + " after %d steps (t = %.6g)", m, delta, tol, window, s.steps(), s.t()));
            }

            @Override
            public String toString() {
                return "change(atol=" + atol + ", rtol=" + rtol + ", window=" + window + ")";
            }
        };
    }

    /**
     * Ends the run as soon as any of {@code rules} does; when several fire on the same step the
     * first listed wins. The horizon is the earliest of theirs.
     */
    public static StopRule anyOf(StopRule... rules) {
        if (rules.length == 0) {
            throw new IllegalArgumentException("anyOf needs at least one rule");
        }
        final StopRule[] rs = rules.clone();
        return new StopRule() {
            @Override
            public void start(StepState s) {
                for (StopRule r : rs) {
                    r.start(s);
                }
            }

            @Override
            public Termination check(StepState s) {
                // Every rule sees every step, so stateful rules (windows) keep counting.
                Termination first = null;
                for (StopRule r : rs) {
                    Termination t = r.check(s);
                    if (first == null) {
                        first = t;
                    }
                }
                return first;
            }

            @Override
            public double horizon() {
                double h = Double.POSITIVE_INFINITY;
                for (StopRule r : rs) {
                    h = Math.min(h, r.horizon());
                }
                return h;
            }

            @Override
            public String toString() {
                return "anyOf" + java.util.Arrays.toString(rs);
            }
        };
    }
}
