package org.fena.dynamics.langevin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A landscape with several minima of chosen depths and widths:
 * <pre>
 *   E(x) = k/2 |x|^2 - sum_i a_i exp(-|x - c_i|^2 / (2 s_i^2))
 * </pre>
 * Each well {@code i} (centre {@code c_i}, depth {@code a_i > 0}, width {@code s_i > 0}) makes a
 * local minimum near {@code c_i} when it stands out of its neighbours; the weak confinement
 * {@code k > 0} keeps the state bounded. A deep narrow well has a small basin of attraction: plain
 * gradient flow rarely finds it, while annealing, which weighs minima by {@code exp(-E/T)}, does.
 *
 * <p>Immutable and allocation-free: one instance may serve several threads.
 */
public final class GaussianWells implements EnergyLandscape {

    private final int dim;
    private final double confinement;
    private final double[] centres;
    private final double[] depths;
    private final double[] widths;

    /**
     * @param confinement {@code k > 0}
     * @param centres     one centre per well, each of the same dimension
     * @param depths      {@code a_i > 0}
     * @param widths      {@code s_i > 0}
     */
    public GaussianWells(double confinement, double[][] centres, double[] depths, double[] widths) {
        if (!(confinement > 0) || Double.isInfinite(confinement)) {
            throw new IllegalArgumentException("confinement must be a finite number > 0, got " + confinement);
        }
        if (centres.length == 0 || depths.length != centres.length || widths.length != centres.length) {
            throw new IllegalArgumentException("need one depth and one width per well: " + centres.length
                    + " centres, " + depths.length + " depths, " + widths.length + " widths");
        }
        this.dim = centres[0].length;
        if (dim == 0) {
            throw new IllegalArgumentException("well centres need at least one coordinate");
        }
        this.centres = new double[centres.length * dim];
        for (int i = 0; i < centres.length; i++) {
            if (centres[i].length != dim) {
                throw new IllegalArgumentException("well " + i + " has a centre of dimension " + centres[i].length
                        + ", well 0 of " + dim);
            }
            for (double c : centres[i]) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException("well " + i + ": centre must be finite");
                }
            }
            System.arraycopy(centres[i], 0, this.centres, i * dim, dim);
            if (!(depths[i] > 0) || Double.isInfinite(depths[i])) {
                throw new IllegalArgumentException("well " + i + ": depth must be a finite number > 0, got " + depths[i]);
            }
            if (!(widths[i] > 0) || Double.isInfinite(widths[i])) {
                throw new IllegalArgumentException("well " + i + ": width must be a finite number > 0, got " + widths[i]);
            }
        }
        this.confinement = confinement;
        this.depths = depths.clone();
        this.widths = widths.clone();
    }

    /**
     * The landscape of the escape experiment in the README: three wells on a line, two wide and
     * shallow ({@code a = 1, s = 0.8} at -2.5 and 0), one narrow and deep ({@code a = 2, s = 0.45}
     * at 2.2), {@code k = 0.1}. Minima at about -2.31 (E = -0.72), -0.02 (E = -1.01) and 2.17
     * (E = -1.79, the global one); the global basin covers about a third of {@code [-4, 4]}.
     */
    public static GaussianWells threeWells() {
        return new GaussianWells(0.1, new double[][] {{-2.5}, {0.0}, {2.2}}, new double[] {1.0, 1.0, 2.0},
                new double[] {0.8, 0.8, 0.45});
    }

    @Override
    public int dimension() {
        return dim;
    }

    /** Number of wells. */
    public int wells() {
        return depths.length;
    }

    @Override
    public double energy(double[] x, double[] grad) {
        double e = 0;
        for (int j = 0; j < dim; j++) {
            e += 0.5 * confinement * x[j] * x[j];
            if (grad != null) {
                grad[j] = confinement * x[j];
            }
        }
        for (int i = 0; i < depths.length; i++) {
            double r2 = 0;
            int off = i * dim;
            for (int j = 0; j < dim; j++) {
                double d = x[j] - centres[off + j];
                r2 += d * d;
            }
            double inv = 1.0 / (widths[i] * widths[i]);
            double bump = depths[i] * Math.exp(-0.5 * r2 * inv);
            e -= bump;
            if (grad != null) {
                for (int j = 0; j < dim; j++) {
                    grad[j] += bump * inv * (x[j] - centres[off + j]);
                }
            }
        }
        return e;
    }

    /**
     * The local minima, found by settling (gradient descent to {@code |dE/dx| < 1e-10}) from every
     * well's centre, merged when closer than {@code 1e-6}, sorted by energy (global first).
     */
    public List<double[]> minima() {
        List<double[]> found = new ArrayList<>();
        double[] g = new double[dim];
        double maxCurv = confinement;
        for (int i = 0; i < depths.length; i++) {
            maxCurv += depths[i] / (widths[i] * widths[i]);
        }
        double h = 0.5 / maxCurv;
        for (int i = 0; i < depths.length; i++) {
            double[] x = Arrays.copyOfRange(centres, i * dim, (i + 1) * dim);
            for (int it = 0; it < 1_000_000; it++) {
                energy(x, g);
                double n2 = 0;
                for (int j = 0; j < dim; j++) {
                    x[j] -= h * g[j];
                    n2 += g[j] * g[j];
                }
                if (n2 < 1e-20) {
                    break;
                }
            }
            boolean dup = false;
            for (double[] m : found) {
                double d2 = 0;
                for (int j = 0; j < dim; j++) {
                    d2 += (m[j] - x[j]) * (m[j] - x[j]);
                }
                dup |= d2 < 1e-12;
            }
            if (!dup) {
                found.add(x);
            }
        }
        found.sort((a, b) -> Double.compare(energy(a, null), energy(b, null)));
        return found;
    }
}
