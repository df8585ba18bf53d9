package org.fena.dynamics.learning;

import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.HebbianRule;
import org.fena.integrators.OdeSystem;

/**
 * The continuous learning regime as one vector field over states and parameters together:
 *
 * <pre>
 *   tau_l dx_l/dt = -dE/dx_l
 *   tau_W dW_l/dt = (1/B) sum_b (Pi_l eps_l ⊙ f'_l) x_{l+1}' = -(1/B) dE/dW_l       (b_l likewise)
 * </pre>
 *
 * so that {@code dE/dt = -sum_l |dE/dx_l|^2 / tau_l - |dE/dtheta|^2 / (B tau_W) <= 0}: the joint
 * flow is a gradient flow and never raises the energy under exact integration. With
 * {@code tau_W >> tau_x} the weights drift slowly while the states settle: learning is the settling.
 * As {@code tau_W -> infinity} it reduces to pure settling.
 *
 * <p>Layout of the joint vector: the workspace's free vector first, then {@code W_0, b_0, W_1, b_1,
 * ...} row-major. Each evaluation writes the parameter part into the hierarchy's live arrays (the
 * integrator may evaluate at trial parameters); after an integration call {@link #writeBack} so the
 * hierarchy holds the accepted parameters.
 */
public final class JointFlow implements OdeSystem {

    private final EnergyWorkspace ws;
    private final Hierarchy h;
    private final HebbianRule rule;
    private final double[] invTauW;
    private final int free;
    private final int dimension;
    private long evaluations;

    /**
     * The joint flow on a workspace whose clamps are set.
     *
     * @param tauW weight time constant {@code tau_W,l > 0} per layer {@code l < L} (or one for all);
     *             {@code +infinity} freezes the layer
     */
    public JointFlow(EnergyWorkspace ws, double... tauW) {
        this.ws = ws;
        this.h = ws.hierarchy();
        this.rule = new HebbianRule(h);
        int top = h.top();
        if (tauW.length != 1 && tauW.length != top) {
            throw new IllegalArgumentException("tau_W: give one, or one per layer 0.." + (top - 1) + ", got " + tauW.length);
        }
        this.invTauW = new double[top];
        for (int l = 0; l < top; l++) {
            double t = tauW.length == 1 ? tauW[0] : tauW[l];
            if (!(t > 0)) {
                throw new IllegalArgumentException("tau_W of layer " + l + " must be > 0, got " + t);
            }
            invTauW[l] = 1.0 / t;
        }
        this.free = ws.freeDimension();
        int p = 0;
        for (int l = 0; l < top; l++) {
            p += h.dim(l) * h.dim(l + 1) + h.dim(l);
        }
        this.dimension = free + p;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** Length of the state part (the workspace's free vector). */
    public int stateDimension() {
        return free;
    }

    /** The workspace that evaluates the energy. */
    public EnergyWorkspace workspace() {
        return ws;
    }

    /** Number of field evaluations so far. */
    public long evaluations() {
        return evaluations;
    }

    /** Copies the hierarchy's current parameters into the parameter part of {@code y}. */
    public void readParameters(double[] y) {
        int off = free;
        for (int l = 0; l < h.top(); l++) {
            double[] w = h.weights(l);
            System.arraycopy(w, 0, y, off, w.length);
            off += w.length;
            double[] b = h.bias(l);
            System.arraycopy(b, 0, y, off, b.length);
            off += b.length;
        }
    }

    /** Copies the parameter part of {@code y} into the hierarchy's live arrays. */
    public void writeBack(double[] y) {
        int off = free;
        for (int l = 0; l < h.top(); l++) {
            double[] w = h.weights(l);
            System.arraycopy(y, off, w, 0, w.length);
            off += w.length;
            double[] b = h.bias(l);
            System.arraycopy(y, off, b, 0, b.length);
            off += b.length;
        }
    }

    @Override
    public void derivative(double t, double[] y, double[] yDot) {
        writeBack(y);
        ws.flow(y, yDot, null);
        rule.compute(ws, y);
        int off = free;
        for (int l = 0; l < h.top(); l++) {
            double k = invTauW[l];
            double[] gw = rule.weightDirection(l);
            for (int i = 0; i < gw.length; i++) {
                yDot[off + i] = k * gw[i];
            }
            off += gw.length;
            double[] gb = rule.biasDirection(l);
            for (int i = 0; i < gb.length; i++) {
                yDot[off + i] = k * gb[i];
            }
            off += gb.length;
        }
        evaluations++;
    }

    /** The energy at the joint state {@code y} (its parameters written into the hierarchy first). */
    public double energy(double[] y, double[] perLayer) {
        writeBack(y);
        return ws.energy(y, perLayer);
    }
}
