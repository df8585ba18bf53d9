package org.fena.dynamics.stability;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.fena.dynamics.StopCriteria;
import org.fena.integrators.DivergenceException;
import org.fena.integrators.IntegrationException;
import org.fena.integrators.Integrator;
import org.fena.integrators.Integrators;
import org.fena.integrators.OdeSystem;
import org.fena.integrators.StepObserver;
import org.fena.integrators.StepSettings;
import org.fena.integrators.StepState;
import org.fena.integrators.StopRules;

/**
 * Phase-plane data for two free coordinates {@code (i, j)} of a problem, every other coordinate
 * held at a reference state (usually the fixed point): the vector field on a grid, the nullclines
 * {@code dx_i/dt = 0} and {@code dx_j/dt = 0} (marching squares on a finer grid), trajectories of the
 * two-dimensional slice system from a grid of starts, and the slice's fixed points with their types
 * (Newton from a grid of seeds, classified by the 2x2 block of the Jacobian). When the system has only
 * these two free units the slice is the whole system. {@link #principalPlane} gives the plane of the
 * first two principal components of a trajectory instead.
 */
public final class PhasePlane {

    /** A field arrow: at {@code (x, y)} the velocity {@code (u, v)}. */
    public record Arrow(double x, double y, double u, double v) {
    }

    /** A nullcline segment of coordinate {@code which} (0: {@code dx/dt = 0}, 1: {@code dy/dt = 0}). */
    public record Segment(int which, double x1, double y1, double x2, double y2) {
    }

    /** A trajectory of the slice system, id {@code id}, as times and coordinates. */
    public record Path(int id, double[] t, double[] x, double[] y) {
    }

    /** A fixed point of the slice system with its type and the eigenvalues of the 2x2 Jacobian. */
    public record Point(double x, double y, FixedPointType type, double[] re, double[] im) {
    }

    private final Problem problem;
    private final double[] reference;
    private final int i;
    private final int j;
    private final FeedbackFlow flow;
    private final double[] full;
    private final double[] dot;

    /** The plane of free coordinates {@code i, j} through {@code reference}. */
    public PhasePlane(Problem problem, double[] reference, int i, int j) {
        int n = problem.freeDimension();
        if (i < 0 || j < 0 || i >= n || j >= n || i == j) {
            throw new IllegalArgumentException("phase plane needs two different free coordinates in 0.." + (n - 1)
                    + ", got " + i + " and " + j);
        }
        this.problem = problem;
        this.reference = reference.clone();
        this.i = i;
        this.j = j;
        this.flow = problem.flow();
        this.full = reference.clone();
        this.dot = new double[n];
    }

    /** The velocity {@code (dx_i/dt, dx_j/dt)} at {@code (x, y)} with the rest held. */
    public double[] velocity(double x, double y) {
        full[i] = x;
        full[j] = y;
        flow.derivative(0, full, dot);
        return new double[] {dot[i], dot[j]};
    }

    /** The field on an {@code n x n} grid over {@code [x0, x1] x [y0, y1]}. */
    public List<Arrow> field(double x0, double x1, double y0, double y1, int n) {
        List<Arrow> out = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double x = x0 + (x1 - x0) * a / (n - 1);
                double y = y0 + (y1 - y0) * b / (n - 1);
                double[] v = velocity(x, y);
                out.add(new Arrow(x, y, v[0], v[1]));
            }
        }
        return out;
    }

    /** Both nullclines by marching squares on an {@code n x n} grid. */
    public List<Segment> nullclines(double x0, double x1, double y0, double y1, int n) {
        double[][][] f = new double[2][n][n];
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int a = 0; a < n; a++) {
            xs[a] = x0 + (x1 - x0) * a / (n - 1);
            ys[a] = y0 + (y1 - y0) * a / (n - 1);
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double[] v = velocity(xs[a], ys[b]);
                f[0][a][b] = v[0];
                f[1][a][b] = v[1];
            }
        }
        List<Segment> out = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            for (int a = 0; a + 1 < n; a++) {
                for (int b = 0; b + 1 < n; b++) {
                    // corners counter-clockwise; an edge is crossed where its ends differ in sign
                    double[] cx = {xs[a], xs[a + 1], xs[a + 1], xs[a]};
                    double[] cy = {ys[b], ys[b], ys[b + 1], ys[b + 1]};
                    double[] cv = {f[w][a][b], f[w][a + 1][b], f[w][a + 1][b + 1], f[w][a][b + 1]};
                    List<double[]> hits = new ArrayList<>();
                    for (int e = 0; e < 4; e++) {
                        double p = cv[e];
                        double q = cv[(e + 1) % 4];
                        if ((p < 0) != (q < 0)) {
                            double s = p / (p - q);
                            hits.add(new double[] {cx[e] + s * (cx[(e + 1) % 4] - cx[e]), cy[e] + s * (cy[(e + 1) % 4] - cy[e])});
                        }
                    }
                    for (int k = 0; k + 1 < hits.size(); k += 2) {
                        out.add(new Segment(w, hits.get(k)[0], hits.get(k)[1], hits.get(k + 1)[0], hits.get(k + 1)[1]));
                    }
                }
            }
        }
        return out;
    }

    /** The slice system: only coordinates {@code i, j} move. */
    public OdeSystem slice() {
        return new OdeSystem() {
            private final double[] y = reference.clone();
            private final double[] d = new double[reference.length];
            private final FeedbackFlow f = problem.flow();

            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void derivative(double t, double[] s, double[] sDot) {
                y[i] = s[0];
                y[j] = s[1];
                f.derivative(t, y, d);
                sDot[0] = d[i];
                sDot[1] = d[j];
            }
        };
    }

    /**
     * Trajectories of the slice system from an {@code m x m} grid of starts over the window, each
     * integrated (dopri5) to {@code tMax} or until it leaves three times the window or comes to rest.
     */
    public List<Path> trajectories(double x0, double x1, double y0, double y1, int m, double tMax) {
        List<Path> out = new ArrayList<>();
        double wx = x1 - x0;
        double wy = y1 - y0;
        int id = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double sx = x0 + wx * (a + 0.5) / m;
                double sy = y0 + wy * (b + 0.5) / m;
                List<double[]> pts = new ArrayList<>();
                double[] s = {sx, sy};
                Integrator integ = Integrators.create("dopri5", StepSettings.tolerances(1e-7, 1e-10).withMaxStep(tMax / 200));
                StepObserver rec = new StepObserver() {
                    @Override
                    public void start(StepState st) {
                        pts.add(new double[] {st.t(), st.y()[0], st.y()[1]});
                    }

                    @Override
                    public void step(StepState st) {
                        pts.add(new double[] {st.t(), st.y()[0], st.y()[1]});
                    }
                };
                double scale = Math.max(wx, wy);
                try {
                    integ.integrate(slice(), 0, s, StopRules.anyOf(StopRules.finalTime(tMax), StopRules.stepBudget(20_000),
                            StopRules.derivativeNorm(1e-9 * scale, 0, new double[] {1, 1}),
                            new org.fena.integrators.StopRule() {
                                @Override
                                public org.fena.integrators.Termination check(StepState st) {
                                    double px = st.y()[0];
                                    double py = st.y()[1];
                                    boolean away = px < x0 - wx || px > x1 + wx || py < y0 - wy || py > y1 + wy;
                                    return away ? new org.fena.integrators.Termination("left-window", false,
                                            "left three times the window") : null;
                                }
                            }), rec);
                } catch (DivergenceException e) {
                    // keep what was recorded before the blow-up
                } catch (IntegrationException e) {
                    // same: a trajectory that cannot be continued ends where it is
                }
                double[] t = new double[pts.size()];
                double[] x = new double[pts.size()];
                double[] y = new double[pts.size()];
                for (int k = 0; k < t.length; k++) {
                    t[k] = pts.get(k)[0];
                    x[k] = pts.get(k)[1];
                    y[k] = pts.get(k)[2];
                }
                out.add(new Path(id++, t, x, y));
            }
        }
        return out;
    }

    /** Fixed points of the slice system in the window: Newton from an {@code m x m} grid of seeds, deduplicated. */
    public List<Point> fixedPoints(double x0, double x1, double y0, double y1, int m) {
        List<Point> out = new ArrayList<>();
        double span = Math.max(x1 - x0, y1 - y0);
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double x = x0 + (x1 - x0) * (a + 0.5) / m;
                double y = y0 + (y1 - y0) * (b + 0.5) / m;
                double[] v = velocity(x, y);
                double norm = Math.hypot(v[0], v[1]);
                for (int it = 0; it < 60 && norm > 1e-12; it++) {
                    double[][] jac = jacobian2(x, y);
                    double det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
                    if (det == 0 || !Double.isFinite(det)) {
                        break;
                    }
                    double dx = -(jac[1][1] * v[0] - jac[0][1] * v[1]) / det;
                    double dy = -(-jac[1][0] * v[0] + jac[0][0] * v[1]) / det;
                    double alpha = 1;
                    boolean ok = false;
                    for (int k = 0; k < 30; k++) {
                        double[] w = velocity(x + alpha * dx, y + alpha * dy);
                        double nn = Math.hypot(w[0], w[1]);
                        if (nn < norm) {
                            x += alpha * dx;
                            y += alpha * dy;
                            v = w;
                            norm = nn;
                            ok = true;
                            break;
                        }
                        alpha /= 2;
                    }
                    if (!ok) {
                        break;
                    }
                }
                if (norm > 1e-9 || x < x0 || x > x1 || y < y0 || y > y1) {
                    continue;
                }
                boolean dup = false;
                for (Point p : out) {
                    dup |= Math.hypot(p.x() - x, p.y() - y) < 1e-6 * span;
                }
                if (!dup) {
                    double[][] jac = jacobian2(x, y);
                    double tr = jac[0][0] + jac[1][1];
                    double det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
                    double disc = tr * tr / 4 - det;
                    double[] re;
                    double[] im;
                    if (disc >= 0) {
                        re = new double[] {tr / 2 + Math.sqrt(disc), tr / 2 - Math.sqrt(disc)};
                        im = new double[2];
                    } else {
                        re = new double[] {tr / 2, tr / 2};
                        im = new double[] {Math.sqrt(-disc), -Math.sqrt(-disc)};
                    }
                    double scale = Math.max(Math.hypot(re[0], im[0]), Math.hypot(re[1], im[1]));
                    out.add(new Point(x, y, FixedPointType.classify(re, im, 1e-9 * scale + 1e-300), re, im));
                }
            }
        }
        return out;
    }

    /** The 2x2 block of the flow's Jacobian at {@code (x, y)} (analytic). */
    public double[][] jacobian2(double x, double y) {
        double[] s = reference.clone();
        s[i] = x;
        s[j] = y;
        DMatrixRMaj a = Linearization.at(problem.workspace(), problem.feedback(), s).jacobian();
        return new double[][] {{a.get(i, i), a.get(i, j)}, {a.get(j, i), a.get(j, j)}};
    }

    /**
     * The plane of the first two principal components of a trajectory's states (rows): returns
     * {@code {mean, pc1, pc2, explained}} where {@code explained} holds the two components' shares of
     * the variance, and {@link #project} maps states into the plane.
     */
    public static double[][] principalPlane(double[][] states) {
        int m = states.length;
        int n = states[0].length;
        double[] mean = new double[n];
        for (double[] s : states) {
            for (int k = 0; k < n; k++) {
                mean[k] += s[k] / m;
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(m, n);
        for (int r = 0; r < m; r++) {
            for (int k = 0; k < n; k++) {
                x.set(r, k, states[r][k] - mean[k]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, false, true, true);
        if (!svd.decompose(x)) {
            throw new IllegalStateException("SVD of the trajectory failed");
        }
        double[] sv = svd.getSingularValues();
        DMatrixRMaj vt = svd.getV(null, true);
        Integer[] order = new Integer[sv.length];
        double total = 0;
        for (int k = 0; k < sv.length; k++) {
            order[k] = k;
            total += sv[k] * sv[k];
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(sv[q], sv[p]));
        double[] pc1 = new double[n];
        double[] pc2 = new double[n];
        for (int k = 0; k < n; k++) {
            pc1[k] = vt.get(order[0], k);
            pc2[k] = sv.length > 1 ? vt.get(order[1], k) : 0;
        }
        double e1 = total == 0 ? 0 : sv[order[0]] * sv[order[0]] / total;
        double e2 = total == 0 || sv.length < 2 ? 0 : sv[order[1]] * sv[order[1]] / total;
        CommonOps_DDRM.fill(x, 0); // nothing else needs the centred copy
        return new double[][] {mean, pc1, pc2, {e1, e2}};
    }

    /** Coordinates of {@code state} in a principal plane from {@link #principalPlane}. */
    public static double[] project(double[][] plane, double[] state) {
        double a = 0;
        double b = 0;
        for (int k = 0; k < state.length; k++) {
            double c = state[k] - plane[0][k];
            a += c * plane[1][k];
            b += c * plane[2][k];
        }
        return new double[] {a, b};
    }

    /** A relaxation of the whole problem from {@code x0}, states kept (for the principal plane). */
    public static Relaxation fullTrajectory(Problem p, double[] x0, double tMax) {
        return Relaxation.run(p.flow(), Integrators.create("dopri5", StepSettings.tolerances(1e-8, 1e-11)), x0,
                new StopCriteria(tMax, 1e-9, 0, 0, 1, 100_000), true);
    }
}
