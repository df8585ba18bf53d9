package org.fena.dynamics.stability;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.fena.hierarchy.Activation;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.OdeSystem;

/**
 * The linearisation of the settling flow at a state {@code x} over the free units, analytic.
 *
 * <p>Write the flow as {@code dx/dt = -T^{-1} g(x)} with {@code T = diag(tau)} over the free units;
 * {@code G = dg/dx} and the Jacobian is {@code A = -T^{-1} G}. With exact-transpose feedback
 * {@code g = dE/dx} and {@code G = H}, the Hessian of the energy. Each energy term
 * {@code 1/2 eps_l' Pi_l eps_l} with {@code eps_l = x_l - f(a_l)}, {@code a_l = W_l x_{l+1} + b_l},
 * contributes, per sample ({@code D = diag f'(a_l)}, {@code D2 = diag(Pi_l eps_l ⊙ f''(a_l))},
 * {@code B = B_l}, which is {@code W_l'} for the gradient flow):
 *
 * <pre>
 *   G[l, l]     += Pi_l
 *   G[l, l+1]   += -Pi_l D W_l
 *   G[l+1, l]   += -B D Pi_l                     (= G[l, l+1]' when B = W_l')
 *   G[l+1, l+1] += B (D Pi_l D - D2) W_l
 * </pre>
 *
 * and a prior adds {@code Pi_L} to {@code G[L, L]}. Samples do not interact, so {@code G} is block
 * diagonal over samples, and over layers block tridiagonal. Every term is linear in its own
 * {@code Pi_l}, which is what {@link #term(int)} exposes: {@code G = sum_l G_l}, and
 * {@code dG/d log s_l = G_l} when {@code Pi_l} is scaled by {@code s_l}.
 *
 * <p>Analysis code: dense EJML matrices, clear before fast. The free layout is the workspace's:
 * unit {@code i} of sample {@code b} of layer {@code l} sits at {@code freeOffset(l) + b d_l + i}.
 */
public final class Linearization {

    private final EnergyWorkspace ws;
    private final Hierarchy h;
    private final Feedback feedback;
    private final double[] x;
    private final DMatrixRMaj[] terms;
    private final DMatrixRMaj g;
    private final double[] tau;

    private Linearization(EnergyWorkspace ws, Feedback feedback, double[] x) {
        this.ws = ws;
        this.h = ws.hierarchy();
        this.feedback = feedback;
        this.x = x.clone();
        int n = ws.freeDimension();
        this.terms = new DMatrixRMaj[h.layers()];
        this.g = new DMatrixRMaj(n, n);
        this.tau = new double[n];
        for (int l = 0; l < h.layers(); l++) {
            int off = ws.freeOffset(l);
            if (off >= 0) {
                java.util.Arrays.fill(tau, off, off + ws.batch() * h.dim(l), h.tau(l));
            }
        }
        assemble();
    }

    /** The linearisation at {@code x} (free layout) of the flow with {@code feedback}; {@code ws} has its clamps set. */
    public static Linearization at(EnergyWorkspace ws, Feedback feedback, double[] x) {
        if (x.length < ws.freeDimension()) {
            throw new IllegalArgumentException("state needs " + ws.freeDimension() + " values, got " + x.length);
        }
        return new Linearization(ws, feedback == null ? Feedback.transpose() : feedback, x);
    }

    /** The Hessian {@code H} of the energy over the free states at {@code x} (a new matrix). */
    public static DMatrixRMaj hessian(EnergyWorkspace ws, double[] x) {
        return at(ws, Feedback.transpose(), x).g();
    }

    /** {@code G = dg/dx} (the Hessian {@code H} for the gradient flow); a copy. */
    public DMatrixRMaj g() {
        return g.copy();
    }

    /** The contribution {@code G_l} of energy term {@code l} (entry L: the prior's); a copy. */
    public DMatrixRMaj term(int l) {
        return terms[l].copy();
    }

    /** The Jacobian of the flow, {@code A = -T^{-1} G} (a new matrix). */
    public DMatrixRMaj jacobian() {
        DMatrixRMaj a = g.copy();
        int n = a.numRows;
        for (int i = 0; i < n; i++) {
            double s = -1.0 / tau[i];
            for (int j = 0; j < n; j++) {
                a.data[i * n + j] *= s;
            }
        }
        return a;
    }

    /** {@code tau} of every free component. */
    public double[] tau() {
        return tau.clone();
    }

    /** The state the linearisation was taken at. */
    public double[] state() {
        return x.clone();
    }

    /** The workspace (clamps, layout). */
    public EnergyWorkspace workspace() {
        return ws;
    }

    /** The feedback of the flow. */
    public Feedback feedback() {
        return feedback;
    }

    /** Which layer each free component belongs to. */
    public int[] layerOfComponent() {
        int[] out = new int[ws.freeDimension()];
        for (int l = 0; l < h.layers(); l++) {
            int off = ws.freeOffset(l);
            if (off >= 0) {
                java.util.Arrays.fill(out, off, off + ws.batch() * h.dim(l), l);
            }
        }
        return out;
    }

    /**
     * The Jacobian of any vector field by central differences, column {@code j} from
     * {@code (f(y + s e_j) - f(y - s e_j)) / 2s} with {@code s = step max(1, |y_j|)}: the reference
     * the analytic linearisation is checked against, and the fallback for flows it does not cover.
     */
    public static DMatrixRMaj numericJacobian(OdeSystem f, double[] y, double step) {
        int n = f.dimension();
        double[] yp = y.clone();
        double[] fp = new double[n];
        double[] fm = new double[n];
        DMatrixRMaj j = new DMatrixRMaj(n, n);
        for (int c = 0; c < n; c++) {
            double s = step * Math.max(1.0, Math.abs(y[c]));
            yp[c] = y[c] + s;
            f.derivative(0, yp, fp);
            yp[c] = y[c] - s;
            f.derivative(0, yp, fm);
            yp[c] = y[c];
            for (int r = 0; r < n; r++) {
                j.set(r, c, (fp[r] - fm[r]) / (2 * s));
            }
        }
        return j;
    }

    private void assemble() {
        int n = ws.freeDimension();
        int top = h.top();
        int batch = ws.batch();
        double[][] states = new double[h.layers()][];
        for (int l = 0; l < h.layers(); l++) {
            states[l] = new double[batch * h.dim(l)];
            ws.layerState(x, l, states[l]);
        }
        for (int l = 0; l < top; l++) {
            DMatrixRMaj t = new DMatrixRMaj(n, n);
            predictionTerm(l, states, t);
            terms[l] = t;
            CommonOps_DDRM.addEquals(g, t);
        }
        DMatrixRMaj prior = new DMatrixRMaj(n, n);
        int offTop = ws.freeOffset(top);
        if (h.hasPrior() && offTop >= 0) {
            double[] pi = h.precision(top).toDense();
            int d = h.dim(top);
            for (int s = 0; s < batch; s++) {
                int base = offTop + s * d;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        prior.add(base + i, base + j, pi[i * d + j]);
                    }
                }
            }
        }
        terms[top] = prior;
        CommonOps_DDRM.addEquals(g, prior);
    }

    private void predictionTerm(int l, double[][] states, DMatrixRMaj t) {
        int d = h.dim(l);
        int du = h.dim(l + 1);
        int batch = ws.batch();
        double[] w = h.weights(l);
        double[] bias = h.bias(l);
        double[] pi = h.precision(l).toDense();
        Activation f = h.activation(l);
        double[] bm = feedback.matrix(h, l); // du x d
        int offL = ws.freeOffset(l);
        int offU = ws.freeOffset(l + 1);
        double[] fp = new double[d];
        double[] z2 = new double[d];
        double[] eps = new double[d];
        double[] pe = new double[d];
        // M = D Pi D - D2 (d x d), then the blocks that need it
        double[] m = new double[d * d];
        double[] piDW = new double[d * du];   // Pi D W
        double[] mw = new double[d * du];     // M W
        for (int s = 0; s < batch; s++) {
            double[] xl = states[l];
            double[] xu = states[l + 1];
            for (int i = 0; i < d; i++) {
                double a = bias[i];
                for (int k = 0; k < du; k++) {
                    a += w[i * du + k] * xu[s * du + k];
                }
                eps[i] = xl[s * d + i] - f.value(a);
                fp[i] = f.derivative(a);
                z2[i] = f.secondDerivative(a);
            }
            for (int i = 0; i < d; i++) {
                double v = 0;
                for (int j = 0; j < d; j++) {
                    v += pi[i * d + j] * eps[j];
                }
                pe[i] = v;
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    m[i * d + j] = fp[i] * pi[i * d + j] * fp[j];
                }
                m[i * d + i] -= pe[i] * z2[i];
            }
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < du; k++) {
                    double v1 = 0;
                    double v2 = 0;
                    for (int j = 0; j < d; j++) {
                        double wjk = w[j * du + k];
                        v1 += pi[i * d + j] * fp[j] * wjk;
                        v2 += m[i * d + j] * wjk;
                    }
                    piDW[i * du + k] = v1;
                    mw[i * du + k] = v2;
                }
            }
            if (offL >= 0) {
                int rl = offL + s * d;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        t.add(rl + i, rl + j, pi[i * d + j]);
                    }
                }
                if (offU >= 0) {
                    int ru = offU + s * du;
                    for (int i = 0; i < d; i++) {
                        for (int k = 0; k < du; k++) {
                            t.add(rl + i, ru + k, -piDW[i * du + k]);
                        }
                    }
                }
            }
            if (offU >= 0) {
                int ru = offU + s * du;
                if (offL >= 0) {
                    int rl = offL + s * d;
                    // -B D Pi: row k of B times D Pi
                    for (int k = 0; k < du; k++) {
                        for (int j = 0; j < d; j++) {
                            double v = 0;
                            for (int i = 0; i < d; i++) {
                                v += bm[k * d + i] * fp[i] * pi[i * d + j];
                            }
                            t.add(ru + k, rl + j, -v);
                        }
                    }
                }
                for (int k = 0; k < du; k++) {
                    for (int q = 0; q < du; q++) {
                        double v = 0;
                        for (int i = 0; i < d; i++) {
                            v += bm[k * d + i] * mw[i * du + q];
                        }
                        t.add(ru + k, ru + q, v);
                    }
                }
            }
        }
    }
}
