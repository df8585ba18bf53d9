package org.fena.dynamics.stability;

import java.util.ArrayList;
import java.util.List;

import org.fena.dynamics.StopCriteria;
import org.fena.integrators.DivergenceException;
import org.fena.integrators.IntegrationException;
import org.fena.integrators.IntegrationResult;
import org.fena.integrators.Integrator;
import org.fena.integrators.StepObserver;
import org.fena.integrators.StepState;
import org.fena.integrators.StopRule;
import org.fena.integrators.StopRules;
import org.fena.integrators.Termination;

/**
 * A recorded relaxation of a {@link FeedbackFlow}: every accepted step's time, energy, per-layer
 * energy, {@code |g|} (the gradient norm for the gradient flow) and, when asked, the state — the raw
 * material of the measured convergence rate, the energy figure, the error heat map and the phase
 * portrait's trajectories.
 *
 * @param t           accepted step times
 * @param energy      {@code E} at each time (summed over the batch)
 * @param layerEnergy per-layer energy terms at each time
 * @param gradNorm    {@code |g| = |T dx/dt|} at each time
 * @param states      the state at each time (null when not kept)
 * @param finalState  the last state
 * @param converged   whether the stop criteria judged the run converged
 * @param diverged    whether the state blew up (or the integrator gave up)
 * @param stopDetail  why the run stopped
 */
public record Relaxation(double[] t, double[] energy, double[][] layerEnergy, double[] gradNorm,
        double[][] states, double[] finalState, boolean converged, boolean diverged, String stopDetail) {

    /**
     * Integrates {@code flow} from {@code y0} (not modified) with {@code integrator} until {@code stop};
     * keeps the states when {@code keepStates}. A divergence is reported in the result, not thrown.
     */
    public static Relaxation run(FeedbackFlow flow, Integrator integrator, double[] y0, StopCriteria stop,
            boolean keepStates) {
        double[] y = y0.clone();
        double[] tau = flow.tauPerComponent();
        List<double[]> rows = new ArrayList<>();
        List<double[]> layers = new ArrayList<>();
        List<double[]> kept = new ArrayList<>();
        int nl = flow.workspace().hierarchy().layers();
        StepObserver rec = new StepObserver() {
            @Override
            public void start(StepState s) {
                record(s);
            }

            @Override
            public void step(StepState s) {
                record(s);
            }

            private void record(StepState s) {
                double[] yd = s.yDot();
                double g = 0;
                for (int i = 0; i < yd.length; i++) {
                    double v = tau[i] * yd[i];
                    g += v * v;
                }
                // the last evaluation was at this step's (t, y) (the integrators' contract): its energy is current
                double e = flow.energy();
                double[] pl = flow.energyPerLayer();
                if (pl.length != nl) {
                    throw new IllegalStateException("per-layer energy has " + pl.length + " entries");
                }
                rows.add(new double[] {s.t(), e, Math.sqrt(g)});
                layers.add(pl);
                if (keepStates) {
                    kept.add(s.y().clone());
                }
            }
        };
        boolean converged = false;
        boolean diverged = false;
        String detail;
        try {
            IntegrationResult r = integrator.integrate(flow, 0.0, y, rule(stop, tau), rec);
            Termination term = r.termination();
            converged = term.converged();
            detail = term.rule() + ": " + term.detail();
        } catch (DivergenceException e) {
            diverged = true;
            detail = "diverged: " + e.getMessage();
        } catch (IntegrationException e) {
            diverged = true;
            detail = "integration failed: " + e.getMessage();
        }
        int m = rows.size();
        double[] t = new double[m];
        double[] en = new double[m];
        double[] gn = new double[m];
        for (int i = 0; i < m; i++) {
            t[i] = rows.get(i)[0];
            en[i] = rows.get(i)[1];
            gn[i] = rows.get(i)[2];
        }
        return new Relaxation(t, en, layers.toArray(new double[0][]), gn,
                keepStates ? kept.toArray(new double[0][]) : null, y, converged, diverged, detail);
    }

    /** The stop rule {@link org.fena.dynamics.Settler} builds from the same criteria. */
    static StopRule rule(StopCriteria stop, double[] tau) {
        List<StopRule> rules = new ArrayList<>();
        if (!Double.isInfinite(stop.tMax())) {
            rules.add(StopRules.finalTime(stop.tMax()));
        }
        if (stop.maxSteps() != Long.MAX_VALUE) {
            rules.add(StopRules.stepBudget(stop.maxSteps()));
        }
        if (stop.gradTol() > 0 || stop.gradRtol() > 0) {
            rules.add(StopRules.derivativeNorm(stop.gradTol(), stop.gradRtol(), tau));
        }
        return StopRules.anyOf(rules.toArray(new StopRule[0]));
    }

    /** Number of recorded steps. */
    public int size() {
        return t.length;
    }

    /** Euclidean distance of every kept state to {@code x}; needs the states. */
    public double[] distanceTo(double[] x) {
        if (states == null) {
            throw new IllegalStateException("the relaxation did not keep its states");
        }
        double[] d = new double[states.length];
        for (int k = 0; k < d.length; k++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                double v = states[k][i] - x[i];
                s += v * v;
            }
            d[k] = Math.sqrt(s);
        }
        return d;
    }

    /**
     * The convergence rate measured on a trajectory: minus the least-squares slope of
     * {@code log d(t)} against {@code t} over the samples with {@code t >= tFrom} and
     * {@code d >= floor} — the tail, where the slowest mode has outlived the others however little
     * of it the start held, above the integrator's noise floor. NaN with fewer than three samples.
     */
    public static double measuredRate(double[] t, double[] d, double tFrom, double floor) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] >= tFrom && d[i] >= floor && d[i] > 0) {
                double y = Math.log(d[i]);
                sx += t[i];
                sy += y;
                sxx += t[i] * t[i];
                sxy += t[i] * y;
                n++;
            }
        }
        if (n < 3) {
            return Double.NaN;
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? Double.NaN : -(n * sxy - sx * sy) / den;
    }
}
