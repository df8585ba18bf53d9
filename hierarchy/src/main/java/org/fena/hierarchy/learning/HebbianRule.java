package org.fena.hierarchy.learning;

import java.util.Arrays;

import org.fena.hierarchy.Blas;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;

/**
 * The local Hebbian learning rule of DESIGN.md §1, batch-averaged:
 *
 * <pre>
 *   tau_W dW_l/dt = (1/B) sum_b (Pi_l eps_l ⊙ f'_l(a_l)) x_{l+1}'        db_l/dt: the same without x_{l+1}'
 * </pre>
 *
 * Each weight sees only its own layer's weighted error {@code Pi_l eps_l ⊙ f'_l} (post-synaptic)
 * and the activity {@code x_{l+1}} above it (pre-synaptic). The direction equals
 * {@code -(1/B) dE/dW_l}: a small step along it lowers the energy of the state it was computed from.
 *
 * <p>{@link #compute} reads the factor {@code Pi_l eps_l ⊙ f'_l} that the workspace's last
 * evaluation left behind, so it must follow an evaluation ({@code energy}, {@code gradient} or
 * {@code flow}) at the very state passed in. The outer product goes through BLAS
 * ({@code dgemm}, one per layer); buffers are sized once, so a step allocates nothing.
 */
public final class HebbianRule {

    private final Hierarchy h;
    private final double[][] dW;
    private final double[][] db;

    /** Direction buffers shaped like {@code h}'s parameters. */
    public HebbianRule(Hierarchy h) {
        this.h = h;
        int top = h.top();
        this.dW = new double[top][];
        this.db = new double[top][];
        for (int l = 0; l < top; l++) {
            dW[l] = new double[h.dim(l) * h.dim(l + 1)];
            db[l] = new double[h.dim(l)];
        }
    }

    /**
     * Writes the Hebbian directions of every layer from the workspace's last evaluation at the free
     * state {@code free}: {@link #weightDirection(int)} {@code = (1/B) Z_l' X_{l+1}} (row-major
     * {@code d_l x d_{l+1}}) and {@link #biasDirection(int)} {@code = (1/B) sum_b Z_l}, with
     * {@code Z_l = Pi_l eps_l ⊙ f'_l} ({@code B x d_l}).
     */
    public void compute(EnergyWorkspace ws, double[] free) {
        if (ws.hierarchy() != h) {
            throw new IllegalArgumentException("the workspace evaluates another hierarchy than this rule's");
        }
        int batch = ws.batch();
        double inv = 1.0 / batch;
        for (int l = 0; l < h.top(); l++) {
            int m = h.dim(l);
            int n = h.dim(l + 1);
            double[] z = ws.weightedErrorsTimesDerivative(l);
            double[] x = ws.isClamped(l + 1) ? ws.clampedValues(l + 1) : free;
            int xOff = ws.isClamped(l + 1) ? 0 : ws.freeOffset(l + 1);
            Blas.gemmTN(m, n, batch, inv, z, 0, x, xOff, 0.0, dW[l], 0);
            double[] b = db[l];
            Arrays.fill(b, 0.0);
            for (int r = 0, i = 0; r < batch; r++) {
                for (int j = 0; j < m; j++, i++) {
                    b[j] += z[i];
                }
            }
            for (int j = 0; j < m; j++) {
                b[j] *= inv;
            }
        }
    }

    /** The last weight direction {@code (1/B) Z_l' X_{l+1}} of layer {@code l} (live, row-major {@code d_l x d_{l+1}}). */
    public double[] weightDirection(int l) {
        return dW[l];
    }

    /** The last bias direction {@code (1/B) sum_b Z_l} of layer {@code l} (live). */
    public double[] biasDirection(int l) {
        return db[l];
    }

    /** The hierarchy whose parameters the directions are shaped like. */
    public Hierarchy hierarchy() {
        return h;
    }

    /** Squared Euclidean norm of all directions together: {@code |dE/dtheta|^2 / B^2}. */
    public double squaredNorm() {
        double s = 0;
        for (int l = 0; l < dW.length; l++) {
            for (double v : dW[l]) {
                s += v * v;
            }
            for (double v : db[l]) {
                s += v * v;
            }
        }
        return s;
    }
}
