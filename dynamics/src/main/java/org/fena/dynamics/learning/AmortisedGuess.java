package org.fena.dynamics.learning;

import org.fena.hierarchy.Blas;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;

/**
 * A learned bottom-up (amortised) guess of the settled states: {@code x_{l+1} ≈ V_l x_l + c_l} for
 * each layer above the clamped data layer 0, trained by the local delta rule
 * {@code V_l += eta (x*_{l+1} - V_l x*_l - c_l) x*_l'} on the settled states {@code x*}. It only
 * sets where settling starts: the settled state, and so inference, is the energy's minimum
 * whichever start reaches it; a good guess makes settling cheaper. The maps start at zero, so an
 * untrained guess is the zero start.
 */
public final class AmortisedGuess {

    private final Hierarchy h;
    private final double[][] v;
    private final double[][] c;
    private final double rate;
    private double[] pred;

    /** Zero maps for every layer above 0, learned with rate {@code eta}. */
    public AmortisedGuess(Hierarchy h, double rate) {
        this.h = h;
        this.rate = rate;
        int top = h.top();
        v = new double[top][];
        c = new double[top][];
        for (int l = 0; l < top; l++) {
            v[l] = new double[h.dim(l + 1) * h.dim(l)];
            c[l] = new double[h.dim(l + 1)];
        }
    }

    /** The map {@code V_l} ({@code d_{l+1} x d_l}, row-major, live). */
    public double[] map(int l) {
        return v[l];
    }

    /** The offset {@code c_l} (live). */
    public double[] offset(int l) {
        return c[l];
    }

    /** Writes the guess of every free layer above 0 into the free vector, layer by layer upwards. */
    public void fill(EnergyWorkspace ws, double[] y) {
        int b = ws.batch();
        for (int l = 0; l < h.top(); l++) {
            int off = ws.freeOffset(l + 1);
            if (off < 0) {
                continue;
            }
            double[] src = ws.isClamped(l) ? ws.clampedValues(l) : y;
            int srcOff = ws.isClamped(l) ? 0 : ws.freeOffset(l);
            apply(l, src, srcOff, b, y, off);
        }
    }

    /** One delta-rule step of every map on the settled states (free vector {@code y}). */
    public void learn(EnergyWorkspace ws, double[] y) {
        int b = ws.batch();
        for (int l = 0; l < h.top(); l++) {
            int m = h.dim(l + 1);
            int n = h.dim(l);
            double[] src = ws.isClamped(l) ? ws.clampedValues(l) : y;
            int srcOff = ws.isClamped(l) ? 0 : ws.freeOffset(l);
            double[] tgt = ws.isClamped(l + 1) ? ws.clampedValues(l + 1) : y;
            int tgtOff = ws.isClamped(l + 1) ? 0 : ws.freeOffset(l + 1);
            if (pred == null || pred.length < b * m) {
                pred = new double[b * maxDim()];
            }
            apply(l, src, srcOff, b, pred, 0);
            for (int i = 0; i < b * m; i++) {
                pred[i] = tgt[tgtOff + i] - pred[i];
            }
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < m; j++) {
                    c[l][j] += rate / b * pred[r * m + j];
                }
            }
            // V (m x n row-major) += eta/B E' X: column-major V' (n x m) += X' E
            Blas.gemmTN(m, n, b, rate / b, pred, 0, src, srcOff, 1.0, v[l], 0);
        }
    }

    private int maxDim() {
        int d = 0;
        for (int l = 0; l < h.layers(); l++) {
            d = Math.max(d, h.dim(l));
        }
        return d;
    }

    private void apply(int l, double[] src, int srcOff, int b, double[] out, int outOff) {
        int m = h.dim(l + 1);
        int n = h.dim(l);
        // row-major out (b x m) = X (b x n) V' + c
        Blas.gemm(b, m, n, 1.0, src, srcOff, v[l], 0, true, 0.0, out, outOff);
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < m; j++) {
                out[outOff + r * m + j] += c[l][j];
            }
        }
    }
}
