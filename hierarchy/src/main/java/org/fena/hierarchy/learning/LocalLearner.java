package org.fena.hierarchy.learning;

import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;

/**
 * One weight step of the two-phase regime: the Hebbian direction of every layer, taken at a
 * settled state, applied to the hierarchy's live {@code W_l}, {@code b_l} by an {@link UpdateRule}
 * with a learning rate per layer ({@code eta_l = dt / tau_W,l} in the language of the continuous
 * rule).
 */
public final class LocalLearner {

    private final Hierarchy h;
    private final HebbianRule rule;
    private final UpdateRule update;
    private final double[] rates;
    private final UpdateRule.State[] wState;
    private final UpdateRule.State[] bState;

    /**
     * A learner of {@code h}'s parameters.
     *
     * @param rates learning rate {@code eta_l >= 0} of each layer {@code l < L} (length {@code L}), or
     *              one number for all
     */
    public LocalLearner(Hierarchy h, UpdateRule update, double... rates) {
        this.h = h;
        this.rule = new HebbianRule(h);
        this.update = update;
        int top = h.top();
        if (rates.length != 1 && rates.length != top) {
            throw new IllegalArgumentException("learning rates: give one, or one per layer 0.." + (top - 1) + " ("
                    + top + "), got " + rates.length);
        }
        this.rates = new double[top];
        for (int l = 0; l < top; l++) {
            double r = rates.length == 1 ? rates[0] : rates[l];
            if (!(r >= 0) || !Double.isFinite(r)) {
                throw new IllegalArgumentException("learning rate of layer " + l + " must be a finite number >= 0, got " + r);
            }
            this.rates[l] = r;
        }
        this.wState = new UpdateRule.State[top];
        this.bState = new UpdateRule.State[top];
        for (int l = 0; l < top; l++) {
            wState[l] = update.newState(h.dim(l) * h.dim(l + 1));
            bState[l] = update.newState(h.dim(l));
        }
    }

    /**
     * Computes the Hebbian directions from the workspace's last evaluation at {@code free} (see
     * {@link HebbianRule#compute}) and steps every layer's weights and bias along them.
     */
    public void step(EnergyWorkspace ws, double[] free) {
        rule.compute(ws, free);
        for (int l = 0; l < h.top(); l++) {
            if (rates[l] > 0) {
                wState[l].apply(h.weights(l), rule.weightDirection(l), rates[l]);
                bState[l].apply(h.bias(l), rule.biasDirection(l), rates[l]);
            }
        }
    }

    /** The rule whose last directions the step used. */
    public HebbianRule rule() {
        return rule;
    }

    /** The update rule. */
    public UpdateRule update() {
        return update;
    }

    /** The learning rate of layer {@code l}. */
    public double rate(int l) {
        return rates[l];
    }
}
