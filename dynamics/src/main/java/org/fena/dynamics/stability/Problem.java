package org.fena.dynamics.stability;

import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precision;
import org.fena.hierarchy.Precisions;

/**
 * One sample's settling problem, what stability analysis works on: a hierarchy, which layers are
 * clamped and to what (one row each), and the feedback. Samples of a batch do not interact, so the
 * spectrum of a batch is the union of its samples' spectra; analysing one sample at a time keeps
 * the dense matrices at the size of one sample's free units.
 *
 * @param hierarchy   the network (its weights are read live)
 * @param clamped     {@code clamped[l]} for each layer
 * @param clampValues {@code d_l} values for each clamped layer, null for free ones
 * @param feedback    how errors travel up
 */
public record Problem(Hierarchy hierarchy, boolean[] clamped, double[][] clampValues, Feedback feedback) {

    /** A fresh batch-1 workspace with the clamps set. */
    public EnergyWorkspace workspace() {
        EnergyWorkspace ws = new EnergyWorkspace(hierarchy, 1, clamped);
        for (int l = 0; l < clamped.length; l++) {
            if (clamped[l]) {
                ws.setClamped(l, clampValues[l]);
            }
        }
        return ws;
    }

    /** The flow of this problem on a fresh workspace. */
    public FeedbackFlow flow() {
        return new FeedbackFlow(workspace(), feedback);
    }

    /**
     * Sample {@code s} of a batch workspace {@code ws} and batch free vector {@code free}: the problem
     * with that sample's clamp rows, and (second element) that sample's free state.
     */
    public static Object[] sample(EnergyWorkspace ws, double[] free, int s, Feedback feedback) {
        Hierarchy h = ws.hierarchy();
        int n = h.layers();
        int batch = ws.batch();
        if (s < 0 || s >= batch) {
            throw new IllegalArgumentException("sample " + s + " out of range 0.." + (batch - 1));
        }
        boolean[] clamped = new boolean[n];
        double[][] values = new double[n][];
        int freeUnits = 0;
        for (int l = 0; l < n; l++) {
            clamped[l] = ws.isClamped(l);
            int d = h.dim(l);
            if (clamped[l]) {
                values[l] = java.util.Arrays.copyOfRange(ws.clampedValues(l), s * d, s * d + d);
            } else {
                freeUnits += d;
            }
        }
        double[] x = new double[freeUnits];
        for (int l = 0, off = 0; l < n; l++) {
            if (!clamped[l]) {
                int d = h.dim(l);
                System.arraycopy(free, ws.freeOffset(l) + s * d, x, off, d);
                off += d;
            }
        }
        return new Object[] {new Problem(h, clamped, values, feedback), x};
    }

    /** The same problem with layer {@code l}'s time constant set to {@code tau}. */
    public Problem withTau(int l, double tau) {
        return new Problem(rebuild(hierarchy, l, tau, 1.0, -1, 1.0), clamped, clampValues, feedback);
    }

    /** The same problem with {@code Pi_l} scaled by {@code s > 0} ({@code l = L}: the prior's precision). */
    public Problem withPrecisionScale(int l, double s) {
        return new Problem(rebuild(hierarchy, l, Double.NaN, s, -1, 1.0), clamped, clampValues, feedback);
    }

    /** The same problem with {@code W_l} multiplied by {@code gain} (the feedback's random part stays fixed). */
    public Problem withWeightGain(int l, double gain) {
        return new Problem(rebuild(hierarchy, -1, Double.NaN, 1.0, l, gain), clamped, clampValues, feedback);
    }

    /** The same problem with other feedback. */
    public Problem withFeedback(Feedback f) {
        return new Problem(hierarchy, clamped, clampValues, f);
    }

    /** Index of unit {@code i} of free layer {@code l} in the free vector, or -1 when the layer is clamped. */
    public int index(int l, int i) {
        if (l < 0 || l >= clamped.length || i < 0 || i >= hierarchy.dim(l)) {
            throw new IllegalArgumentException("no unit " + l + ":" + i + " (layers 0.." + (clamped.length - 1) + ")");
        }
        if (clamped[l]) {
            return -1;
        }
        int off = 0;
        for (int k = 0; k < l; k++) {
            if (!clamped[k]) {
                off += hierarchy.dim(k);
            }
        }
        return off + i;
    }

    /** Number of free units (the dimension of the state). */
    public int freeDimension() {
        return hierarchy.freeUnits(clamped);
    }

    private static Hierarchy rebuild(Hierarchy h, int tauLayer, double tau, double piScale, int gainLayer, double gain) {
        Hierarchy.Builder b = Hierarchy.builder();
        int top = h.top();
        for (int l = 0; l <= top; l++) {
            b.layer(h.dim(l), l == tauLayer && !Double.isNaN(tau) ? tau : h.tau(l));
        }
        int piLayer = Double.isNaN(tau) && piScale != 1.0 ? tauLayer : -1;
        for (int l = 0; l < top; l++) {
            b.activation(l, h.activation(l));
            b.precision(l, l == piLayer ? scaled(h.precision(l), piScale) : h.precision(l));
            double[] w = h.weights(l).clone();
            if (l == gainLayer) {
                for (int i = 0; i < w.length; i++) {
                    w[i] *= gain;
                }
            }
            b.weights(l, w);
            b.bias(l, h.bias(l));
        }
        if (h.hasPrior()) {
            b.prior(h.priorMean(), top == piLayer ? scaled(h.precision(top), piScale) : h.precision(top));
        } else if (piLayer == top) {
            throw new IllegalArgumentException("layer " + top + " is the top layer and has no prior: it has no precision to scale");
        }
        return b.build();
    }

    private static Precision scaled(Precision p, double s) {
        if (!(s > 0) || !Double.isFinite(s)) {
            throw new IllegalArgumentException("precision scale must be a finite number > 0, got " + s);
        }
        int d = p.dimension();
        double[] m = p.toDense();
        switch (p.kind()) {
            case "scalar":
                return Precisions.scalar(d, m[0] * s);
            case "diagonal": {
                double[] diag = new double[d];
                for (int i = 0; i < d; i++) {
                    diag[i] = m[i * d + i] * s;
                }
                return Precisions.diagonal(diag);
            }
            default:
                for (int i = 0; i < m.length; i++) {
                    m[i] *= s;
                }
                return Precisions.full(d, m);
        }
    }
}
