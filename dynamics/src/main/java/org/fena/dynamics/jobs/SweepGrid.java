package org.fena.dynamics.jobs;

import java.util.ArrayList;
import java.util.List;

import org.fena.dynamics.StopCriteria;
import org.fena.dynamics.stability.FeedbackFlow;
import org.fena.dynamics.stability.FixedPoint;
import org.fena.dynamics.stability.FixedPointType;
import org.fena.dynamics.stability.Linearization;
import org.fena.dynamics.stability.Problem;
import org.fena.dynamics.stability.Relaxation;
import org.fena.dynamics.stability.Spectrum;
import org.fena.dynamics.stability.StabilityRegion;
import org.fena.dynamics.stability.SweepParameter;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;

/**
 * A 1-D or 2-D grid of parameter values as independent tasks. Task {@code i} is the point
 * {@code (values[0][i / n1], values[1][i % n1])} (the first parameter varies slowest). Each point is
 * computed from the problem's own initial state — relaxed, then polished by Newton — never from a
 * neighbour's fixed point, because a task must not depend on which tasks ran before it. (The
 * single-machine continuation of {@code fena sweep} follows unstable branches that this cannot.)
 *
 * <p>A row holds {@link #columns()}: the parameter values, {@code converged}, {@code stable},
 * {@code diverged}, {@code type_code} ({@link FixedPointType} ordinal), {@code residual}, the leading
 * eigenvalue, the configured step's spectral radius, the largest stable step, {@code |x*_l|} per free
 * layer, then every eigenvalue ({@code re_k}, {@code im_k}, slowest first) and {@code x*} itself.
 */
public final class SweepGrid {

    private final List<SweepParameter> parameters;
    private final double[][] values;
    private final int[] freeLayers;
    private final int[] freeDims;
    private final int freeUnits;

    /**
     * A grid over one or two {@code parameters} with the given values each, for a problem whose free
     * layers are {@code freeLayers} with dimensions {@code freeDims}.
     */
    public SweepGrid(List<SweepParameter> parameters, double[][] values, int[] freeLayers, int[] freeDims) {
        if (parameters.isEmpty() || parameters.size() > 2 || values.length != parameters.size()) {
            throw new IllegalArgumentException("a grid has one or two parameters, each with its values");
        }
        if (parameters.size() == 2 && parameters.get(0).equals(parameters.get(1))) {
            throw new IllegalArgumentException("the two parameters of a grid must differ, both are "
                    + parameters.get(0).path());
        }
        for (int k = 0; k < values.length; k++) {
            if (values[k].length < 1) {
                throw new IllegalArgumentException(parameters.get(k).path() + ": a grid needs at least one value");
            }
        }
        this.parameters = List.copyOf(parameters);
        this.values = values.clone();
        this.freeLayers = freeLayers.clone();
        this.freeDims = freeDims.clone();
        int n = 0;
        for (int d : freeDims) {
            n += d;
        }
        this.freeUnits = n;
    }

    /** Number of points (tasks). */
    public int size() {
        long n = 1;
        for (double[] v : values) {
            n *= v.length;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a grid of " + n + " points is more than one job can hold");
        }
        return (int) n;
    }

    /** The parameters, slowest-varying first. */
    public List<SweepParameter> parameters() {
        return parameters;
    }

    /** Values of parameter {@code k}. */
    public double[] values(int k) {
        return values[k].clone();
    }

    /** Parameter values of point {@code index}. */
    public double[] point(int index) {
        if (parameters.size() == 1) {
            return new double[] {values[0][index]};
        }
        int n1 = values[1].length;
        return new double[] {values[0][index / n1], values[1][index % n1]};
    }

    /** The point in words, e.g. {@code layers[1].tau = 0.5, feedback.scale = 2}. */
    public String describe(int index) {
        double[] p = point(index);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < p.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(parameters.get(k).path()).append(" = ").append(p[k]);
        }
        return sb.toString();
    }

    /** Number of columns before the eigenvalues ({@link #columns()}). */
    public int summaryColumns() {
        return parameters.size() + 9 + freeLayers.length;
    }

    /** The row's columns. */
    public List<String> columns() {
        List<String> c = new ArrayList<>();
        for (int k = 0; k < parameters.size(); k++) {
            c.add(parameters.size() == 1 ? "value" : "value" + (k + 1));
        }
        c.addAll(List.of("converged", "stable", "diverged", "type_code", "residual", "leading_re", "leading_im",
                "spectral_radius", "largest_stable_step"));
        for (int l : freeLayers) {
            c.add("norm_l" + l);
        }
        for (int k = 0; k < freeUnits; k++) {
            c.add("re_" + k);
        }
        for (int k = 0; k < freeUnits; k++) {
            c.add("im_" + k);
        }
        for (int k = 0; k < freeUnits; k++) {
            c.add("x_" + k);
        }
        return c;
    }

    /**
     * Computes point {@code index} of {@code base} from the free state {@code x0}: relax with dopri5
     * (as {@link org.fena.dynamics.stability.ParameterSweep} does when Newton alone fails), polish by
     * Newton, take the spectrum; {@code region}/{@code step} give the one-step map (null/NaN: none).
     * A state that blows up is a row with {@code diverged = 1} and NaN figures, not an exception.
     */
    public double[] evaluate(Problem base, double[] x0, StabilityRegion region, double step, int index) {
        double[] p = point(index);
        Problem prob = base;
        double h = step;
        for (int k = 0; k < p.length; k++) {
            prob = parameters.get(k).apply(prob, p[k]);
            if (parameters.get(k).kind() == SweepParameter.Kind.STEP) {
                h = p[k];
            }
        }
        EnergyWorkspace ws = prob.workspace();
        Relaxation r = Relaxation.run(new FeedbackFlow(ws, prob.feedback()),
                Integrators.create("dopri5", StepSettings.tolerances(1e-8, 1e-11)), x0,
                new StopCriteria(1e4 * maxTau(prob), 1e-7, 0, 0, 1, 200_000), false);
        double[] from = r.diverged() ? x0 : r.finalState();
        FixedPoint fp = FixedPoint.polish(ws, prob.feedback(), from, FixedPoint.TOLERANCE, 50);
        double[] row = new double[columns().size()];
        java.util.Arrays.fill(row, Double.NaN);
        System.arraycopy(p, 0, row, 0, p.length);
        int c = p.length;
        boolean finite = Double.isFinite(fp.residual()) && allFinite(fp.state());
        row[c] = fp.converged() ? 1 : 0;
        row[c + 2] = finite ? 0 : 1;
        if (!finite) {
            row[c + 1] = 0;
            return row;
        }
        Spectrum sp = Spectrum.of(Linearization.at(ws, prob.feedback(), fp.state()));
        double rho = region == null || Double.isNaN(h) ? Double.NaN : region.spectralRadius(sp.real(), sp.imaginary(), h);
        double hMax = region == null ? Double.NaN : region.largestStableStep(sp.real(), sp.imaginary(), sp.zeroTolerance());
        row[c + 1] = sp.type().isStable() ? 1 : 0;
        row[c + 3] = sp.type().ordinal();
        row[c + 4] = fp.residual();
        row[c + 5] = sp.real(0);
        row[c + 6] = sp.imaginary(0);
        row[c + 7] = rho;
        row[c + 8] = hMax;
        int k = c + 9;
        double[] x = fp.state();
        for (int l = 0, off = 0; l < freeLayers.length; l++) {
            double s = 0;
            for (int i = 0; i < freeDims[l]; i++) {
                s += x[off + i] * x[off + i];
            }
            off += freeDims[l];
            row[k++] = Math.sqrt(s);
        }
        for (int j = 0; j < freeUnits; j++) {
            row[k + j] = sp.real(j);
            row[k + freeUnits + j] = sp.imaginary(j);
            row[k + 2 * freeUnits + j] = x[j];
        }
        return row;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static double maxTau(Problem p) {
        double m = 0;
        for (int l = 0; l < p.hierarchy().layers(); l++) {
            m = Math.max(m, p.hierarchy().tau(l));
        }
        return m;
    }
}
