package org.fena.dynamics;

import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.OdeSystem;

/**
 * The settling vector field of a hierarchy over its free layers,
 * {@code dx_l/dt = -(1/tau_l) dE/dx_l}, as an {@link OdeSystem} an integrator can step.
 *
 * <p>Each evaluation of the field yields the energy as a by-product; it is cached with the
 * {@code (t, y)} it belongs to, so recording the energy of an accepted step costs nothing when the
 * integrator's last evaluation was at that step (the contract of the built-in integrators).
 * One instance serves one run on one thread.
 */
public final class PcFlow implements OdeSystem {

    private final EnergyWorkspace workspace;
    private final double[] tauPerComponent;
    private final double[] perLayer;
    private final double[] cachedPerLayer;
    private double cachedT = Double.NaN;
    private double[] cachedY;
    private double cachedEnergy;
    private long evaluations;

    /** The field with non-transpose feedback, or null for the gradient flow. */
    private final org.fena.dynamics.stability.FeedbackFlow feedbackFlow;
    /** Whether evaluations use {@link EnergyWorkspace#stepFlow} (the workspace's error buffers then go unkept). */
    private final boolean stepping;

    /** Wraps a workspace whose clamps are already set: the gradient flow. */
    public PcFlow(EnergyWorkspace workspace) {
        this(workspace, null);
    }

    /**
     * The settling field of a workspace whose clamps are already set, with errors sent up through
     * {@code feedback} (null or transpose: the gradient flow; random feedback: not a gradient flow,
     * so the energy may rise and the "gradient norm" is the norm of {@code tau dx/dt}).
     */
    public PcFlow(EnergyWorkspace workspace, org.fena.dynamics.stability.Feedback feedback) {
        this(workspace, feedback, false);
    }

    /**
     * As {@link #PcFlow(EnergyWorkspace, org.fena.dynamics.stability.Feedback)}; with {@code stepping},
     * the gradient flow is evaluated by {@link EnergyWorkspace#stepFlow} (same field and energy, the
     * workspace's {@code eps}, {@code Pi eps} and {@code f'} not kept): for a settle whose caller reads
     * only states and energies, not the error buffers (a learning rule does).
     */
    public PcFlow(EnergyWorkspace workspace, org.fena.dynamics.stability.Feedback feedback, boolean stepping) {
        this.stepping = stepping;
        this.workspace = workspace;
        this.feedbackFlow = feedback == null || feedback.isGradientFlow() ? null
                : new org.fena.dynamics.stability.FeedbackFlow(workspace, feedback);
        Hierarchy h = workspace.hierarchy();
        int layers = h.layers();
        this.perLayer = new double[layers];
        this.cachedPerLayer = new double[layers];
        this.tauPerComponent = new double[workspace.freeDimension()];
        int b = workspace.batch();
        for (int l = 0; l < layers; l++) {
            int off = workspace.freeOffset(l);
            if (off >= 0) {
                java.util.Arrays.fill(tauPerComponent, off, off + b * h.dim(l), h.tau(l));
            }
        }
    }

    /** The workspace that evaluates energy and gradient. */
    public EnergyWorkspace workspace() {
        return workspace;
    }

    @Override
    public int dimension() {
        return workspace.freeDimension();
    }

    @Override
    public void derivative(double t, double[] y, double[] yDot) {
        if (feedbackFlow == null) {
            cachedEnergy = stepping ? workspace.stepFlow(y, yDot, perLayer) : workspace.flow(y, yDot, perLayer);
        } else {
            feedbackFlow.derivative(t, y, yDot);
            cachedEnergy = feedbackFlow.energy();
            feedbackFlow.energyPerLayer(perLayer);
        }
        System.arraycopy(perLayer, 0, cachedPerLayer, 0, perLayer.length);
        cachedT = t;
        cachedY = y;
        evaluations++;
    }

    /** Number of field evaluations so far. */
    public long evaluations() {
        return evaluations;
    }

    /**
     * The energy {@code E(y)} (summed over the batch), with its per-layer terms written into
     * {@code perLayerOut} when that is not null; reuses the last field evaluation when it was at
     * this very {@code (t, y)}.
     */
    public double energy(double t, double[] y, double[] perLayerOut) {
        if (t == cachedT && y == cachedY) {
            if (perLayerOut != null) {
                System.arraycopy(cachedPerLayer, 0, perLayerOut, 0, cachedPerLayer.length);
            }
            return cachedEnergy;
        }
        cachedT = Double.NaN;
        return workspace.energy(y, perLayerOut);
    }

    /**
     * The gradient norm {@code |dE/dx|} over the free units, from the field value:
     * {@code dE/dx_l = -tau_l dx_l/dt} (with non-transpose feedback, the norm of {@code tau dx/dt}).
     */
    public double gradientNorm(double[] yDot) {
        double s = 0;
        for (int i = 0; i < yDot.length; i++) {
            double g = tauPerComponent[i] * yDot[i];
            s += g * g;
        }
        return Math.sqrt(s);
    }

    /** {@code tau} of each free component: the weights that turn the rate of change into the gradient. */
    public double[] tauPerComponent() {
        return tauPerComponent.clone();
    }
}
