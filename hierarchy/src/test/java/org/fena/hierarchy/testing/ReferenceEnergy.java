package org.fena.hierarchy.testing;

import org.fena.hierarchy.Hierarchy;

/**
 * The energy and its gradient written straight from the mathematics with plain loops, dense
 * precisions and no BLAS: slow, obviously right, the yardstick {@code EnergyWorkspace} is tested
 * against. States are given per layer ({@code x[l]} row-major {@code B x d_l}, clamped or not).
 */
public final class ReferenceEnergy {

    private ReferenceEnergy() {
    }

    /** {@code mu_l = f_l(W_l x_{l+1} + b_l)}, {@code B x d_l}, {@code l < L}. */
    public static double[] prediction(Hierarchy h, double[][] x, int batch, int l) {
        double[] a = preActivation(h, x, batch, l);
        for (int i = 0; i < a.length; i++) {
            a[i] = h.activation(l).value(a[i]);
        }
        return a;
    }

    /** {@code a_l = W_l x_{l+1} + b_l}, {@code B x d_l}, {@code l < L}. */
    public static double[] preActivation(Hierarchy h, double[][] x, int batch, int l) {
        int d = h.dim(l);
        int dA = h.dim(l + 1);
        double[] w = h.weights(l);
        double[] bias = h.bias(l);
        double[] a = new double[batch * d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                double s = bias[i];
                for (int k = 0; k < dA; k++) {
                    s += w[i * dA + k] * x[l + 1][b * dA + k];
                }
                a[b * d + i] = s;
            }
        }
        return a;
    }

    /** {@code eps_l} ({@code B x d_l}); for {@code l = L} the prior's error, null without a prior. */
    public static double[] error(Hierarchy h, double[][] x, int batch, int l) {
        int d = h.dim(l);
        double[] e = new double[batch * d];
        if (l < h.top()) {
            double[] mu = prediction(h, x, batch, l);
            for (int i = 0; i < e.length; i++) {
                e[i] = x[l][i] - mu[i];
            }
        } else if (h.hasPrior()) {
            double[] m = h.priorMean();
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < d; i++) {
                    e[b * d + i] = x[l][b * d + i] - m[i];
                }
            }
        } else {
            return null;
        }
        return e;
    }

    /** {@code Pi_l eps_l} from the dense precision, or null where there is no error. */
    public static double[] weightedError(Hierarchy h, double[][] x, int batch, int l) {
        double[] e = error(h, x, batch, l);
        if (e == null) {
            return null;
        }
        int d = h.dim(l);
        double[] p = h.precision(l).toDense();
        double[] pe = new double[e.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += p[i * d + j] * e[b * d + j];
                }
                pe[b * d + i] = s;
            }
        }
        return pe;
    }

    /** {@code E = sum_l 1/2 sum_b eps_l' Pi_l eps_l}; {@code perLayer} (nullable) gets each layer's term. */
    public static double energy(Hierarchy h, double[][] x, int batch, double[] perLayer) {
        double total = 0;
        for (int l = 0; l < h.layers(); l++) {
            double[] e = error(h, x, batch, l);
            double el = 0;
            if (e != null) {
                double[] pe = weightedError(h, x, batch, l);
                for (int i = 0; i < e.length; i++) {
                    el += 0.5 * e[i] * pe[i];
                }
            }
            if (perLayer != null) {
                perLayer[l] = el;
            }
            total += el;
        }
        return total;
    }

    /** {@code dE/dx_l} for every layer (clamped ones included), each {@code B x d_l}. */
    public static double[][] gradient(Hierarchy h, double[][] x, int batch) {
        int n = h.layers();
        double[][] g = new double[n][];
        for (int l = 0; l < n; l++) {
            g[l] = new double[batch * h.dim(l)];
        }
        for (int l = 0; l < n; l++) {
            double[] pe = weightedError(h, x, batch, l);
            if (pe == null) {
                continue;
            }
            for (int i = 0; i < pe.length; i++) {
                g[l][i] += pe[i];
            }
            if (l < h.top()) {
                int d = h.dim(l);
                int dA = h.dim(l + 1);
                double[] a = preActivation(h, x, batch, l);
                double[] w = h.weights(l);
                for (int b = 0; b < batch; b++) {
                    for (int k = 0; k < dA; k++) {
                        double s = 0;
                        for (int i = 0; i < d; i++) {
                            s += w[i * dA + k] * h.activation(l).derivative(a[b * d + i]) * pe[b * d + i];
                        }
                        g[l + 1][b * dA + k] -= s;
                    }
                }
            }
        }
        return g;
    }
}
