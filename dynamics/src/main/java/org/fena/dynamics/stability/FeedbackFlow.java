package org.fena.dynamics.stability;

import java.util.Arrays;

import org.fena.hierarchy.Blas;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.OdeSystem;

/**
 * The settling flow with a chosen {@link Feedback}:
 * {@code tau_l dx_l/dt = -Pi_l eps_l + B_{l-1} (Pi_{l-1} eps_{l-1} ⊙ f'_{l-1})} over the free
 * layers of a workspace whose clamps are set.
 *
 * <p>With exact-transpose feedback it is the workspace's own gradient flow (delegated, bit for
 * bit). Otherwise the workspace evaluates {@code dE/dx}, whose bottom-up part is
 * {@code -W_{l-1}' z_{l-1}} with {@code z = Pi eps ⊙ f'}, and that part is swapped for
 * {@code -B_{l-1} z_{l-1}}: the errors are the workspace's, only the route they travel up differs.
 * {@link #energy()} is still {@code E}, which such a flow need not decrease. Sized once; allocation-free
 * per evaluation; one instance per thread.
 */
public final class FeedbackFlow implements OdeSystem {


    private final EnergyWorkspace ws;
    private final Hierarchy h;
    private final Feedback feedback;
    private final double[] grad;
    private final double[] perLayer;
    private final int batch;
    private double energy;
    private long evaluations;

    /** The flow of {@code ws} (clamps set) with {@code feedback}. */
    public FeedbackFlow(EnergyWorkspace ws, Feedback feedback) {
        this.ws = ws;
        this.h = ws.hierarchy();
        this.feedback = feedback;
        this.grad = new double[ws.freeDimension()];
        this.perLayer = new double[h.layers()];
        this.batch = ws.batch();
    }

    /** The workspace that evaluates the errors. */
    public EnergyWorkspace workspace() {
        return ws;
    }

    /** The feedback the errors travel up through. */
    public Feedback feedback() {
        return feedback;
    }

    @Override
    public int dimension() {
        return ws.freeDimension();
    }

    @Override
    public void derivative(double t, double[] y, double[] yDot) {
        evaluations++;
        if (feedback.isGradientFlow()) {
            energy = ws.flow(y, yDot, perLayer);
            return;
        }
        energy = ws.gradient(y, grad, perLayer);
        double cT = feedback.transposeCoefficient();
        double cR = feedback.randomCoefficient();
        int top = h.top();
        for (int l = 0; l <= top; l++) {
            int off = ws.freeOffset(l);
            if (off < 0) {
                continue;
            }
            int d = h.dim(l);
            int n = batch * d;
            double invTau = 1.0 / h.tau(l);
            if (l > 0) {
                // dE/dx_l holds -W' z; the flow wants -B z = -(cT W' + cR R') z, so add (1 - cT) W' z - cR R' z.
                // row-major (B x d) += alpha Z (B x db) M (db x d)
                int db = h.dim(l - 1);
                double[] z = ws.weightedErrorsTimesDerivative(l - 1);
                double a = 1.0 - cT;
                if (a != 0) {
                    Blas.gemm(batch, d, db, a, z, 0, h.weights(l - 1), 0, false, 1.0, grad, off);
                }
                double[] r = feedback.randomPart(l - 1);
                if (r != null && cR != 0) {
                    Blas.gemm(batch, d, db, -cR, z, 0, r, 0, false, 1.0, grad, off);
                }
            }
            for (int i = 0; i < n; i++) {
                yDot[off + i] = -invTau * grad[off + i];
            }
        }
    }

    /** {@code E} at the last evaluation (summed over the batch). */
    public double energy() {
        return energy;
    }

    /** Per-layer energy terms of the last evaluation (a copy). */
    public double[] energyPerLayer() {
        return perLayer.clone();
    }

    /** Writes the per-layer energy terms of the last evaluation into {@code out} (no allocation). */
    public void energyPerLayer(double[] out) {
        System.arraycopy(perLayer, 0, out, 0, perLayer.length);
    }

    /** Number of evaluations so far. */
    public long evaluations() {
        return evaluations;
    }

    /** {@code tau} of every free component, in the free layout. */
    public double[] tauPerComponent() {
        double[] t = new double[ws.freeDimension()];
        for (int l = 0; l < h.layers(); l++) {
            int off = ws.freeOffset(l);
            if (off >= 0) {
                Arrays.fill(t, off, off + batch * h.dim(l), h.tau(l));
            }
        }
        return t;
    }
}
