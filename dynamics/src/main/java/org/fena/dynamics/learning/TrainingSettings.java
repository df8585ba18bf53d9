package org.fena.dynamics.learning;

import java.util.Arrays;

import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.learning.PrecisionRule;
import org.fena.hierarchy.learning.UpdateRule;
import org.fena.integrators.Integrator;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;

/**
 * Everything that decides how a hierarchy is trained, apart from the hierarchy and the data.
 *
 * @param dataLayer        the layer clamped to the inputs, in training and inference
 * @param labelLayer       the layer clamped to one-hot labels in training and read out in inference, or
 *                         -1 for unsupervised (generative) learning
 * @param batch            samples per settle and per weight step
 * @param epochs           passes over the training set
 * @param regime           two-phase (settle, then one weight step) or continuous (joint flow)
 * @param update           SGD or Adam (two-phase only; the continuous regime is a plain gradient flow)
 * @param rates            learning rate per layer {@code l < L} (or one for all): the step
 *                         {@code eta_l} of the two-phase regime
 * @param tauW             weight time constant of the continuous regime (one, or one per layer)
 * @param presentTime      how long each batch is presented in the continuous regime
 * @param init             where states start before each settle
 * @param amortisedRate    learning rate of the amortised guess (0: none)
 * @param precision        precision rule, or null for fixed precisions
 * @param precisionLayers  layers whose precision is learned
 * @param method           integrator name (see {@link Integrators#create})
 * @param step             its step settings
 * @param stop             stop rule of every training settle
 * @param evalStop         stop rule of every inference settle
 * @param seed             seed of the per-epoch shuffles
 */
public record TrainingSettings(int dataLayer, int labelLayer, int batch, int epochs, Regime regime,
                               UpdateRule update, double[] rates, double[] tauW, double presentTime,
                               InitMode init, double amortisedRate, PrecisionRule precision,
                               int[] precisionLayers, String method, StepSettings step, StopCriteria stop,
                               StopCriteria evalStop, long seed) {

    /** The two learning regimes of DESIGN.md §1. */
    public enum Regime {
        /** Settle to the stop rule, then one weight step. */
        TWO_PHASE,
        /** States and weights integrated together, {@code tau_W >> tau_x}. */
        CONTINUOUS
    }

    /** Validates the numbers. */
    public TrainingSettings {
        if (batch < 1 || epochs < 0) {
            throw new IllegalArgumentException("batch must be >= 1 and epochs >= 0, got " + batch + ", " + epochs);
        }
        if (dataLayer == labelLayer) {
            throw new IllegalArgumentException("data and labels cannot be clamped to the same layer " + dataLayer);
        }
        if (regime == Regime.CONTINUOUS && !(presentTime > 0)) {
            throw new IllegalArgumentException("the continuous regime needs present_time > 0, got " + presentTime);
        }
        precisionLayers = precisionLayers == null ? new int[0] : precisionLayers.clone();
    }

    /**
     * Defaults for supervised classification with the data at the top layer {@code L} and labels at
     * the bottom layer 0 (so top-down predictions run from image to label): two-phase, Adam at
     * rate 1e-3, batch 64, top-down start, Euler at step 0.2 until {@code |dE/dx|} has fallen 100-fold
     * or 40 steps.
     */
    public static TrainingSettings supervisedDefaults(int top) {
        return new TrainingSettings(top, 0, 64, 10, Regime.TWO_PHASE, UpdateRule.adam(), new double[] {1e-3},
                new double[] {1e3}, 10, InitMode.TOP_DOWN, 0, null, null, "euler", StepSettings.fixed(0.2),
                new StopCriteria(Double.POSITIVE_INFINITY, 1e-6, 1e-2, 0, 1, 40),
                new StopCriteria(Double.POSITIVE_INFINITY, 1e-6, 1e-2, 0, 1, 40), 0);
    }

    /** A fresh integrator of the configured method. */
    public Integrator integrator() {
        return Integrators.create(method, step);
    }

    /** Whether labels are clamped in training. */
    public boolean supervised() {
        return labelLayer >= 0;
    }

    /** A copy with another number of epochs. */
    public TrainingSettings withEpochs(int e) {
        return new TrainingSettings(dataLayer, labelLayer, batch, e, regime, update, rates, tauW, presentTime, init,
                amortisedRate, precision, precisionLayers, method, step, stop, evalStop, seed);
    }

    /** A copy with another seed. */
    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(dataLayer, labelLayer, batch, epochs, regime, update, rates, tauW, presentTime,
                init, amortisedRate, precision, precisionLayers, method, step, stop, evalStop, s);
    }

    /** A copy with another regime and weight time constant. */
    public TrainingSettings withRegime(Regime r, double[] tw, double present) {
        return new TrainingSettings(dataLayer, labelLayer, batch, epochs, r, update, rates, tw, present, init,
                amortisedRate, precision, precisionLayers, method, step, stop, evalStop, seed);
    }

    /** A copy with another batch size. */
    public TrainingSettings withBatch(int b) {
        return new TrainingSettings(dataLayer, labelLayer, b, epochs, regime, update, rates, tauW, presentTime, init,
                amortisedRate, precision, precisionLayers, method, step, stop, evalStop, seed);
    }

    /** A copy with another label layer (-1: unsupervised). */
    public TrainingSettings withLayers(int data, int label) {
        return new TrainingSettings(data, label, batch, epochs, regime, update, rates, tauW, presentTime, init,
                amortisedRate, precision, precisionLayers, method, step, stop, evalStop, seed);
    }

    /** A copy with another update rule and rates. */
    public TrainingSettings withUpdate(UpdateRule u, double... r) {
        return new TrainingSettings(dataLayer, labelLayer, batch, epochs, regime, u, r, tauW, presentTime, init,
                amortisedRate, precision, precisionLayers, method, step, stop, evalStop, seed);
    }

    /** A copy with another start and amortised rate. */
    public TrainingSettings withInit(InitMode i, double amortised) {
        return new TrainingSettings(dataLayer, labelLayer, batch, epochs, regime, update, rates, tauW, presentTime, i,
                amortised, precision, precisionLayers, method, step, stop, evalStop, seed);
    }

    /** A copy with a precision rule on the given layers. */
    public TrainingSettings withPrecision(PrecisionRule p, int... layers) {
        return new TrainingSettings(dataLayer, labelLayer, batch, epochs, regime, update, rates, tauW, presentTime,
                init, amortisedRate, p, layers, method, step, stop, evalStop, seed);
    }

    /** A copy with another integrator and stop rules. */
    public TrainingSettings withSettling(String m, StepSettings s, StopCriteria train, StopCriteria eval) {
        return new TrainingSettings(dataLayer, labelLayer, batch, epochs, regime, update, rates, tauW, presentTime,
                init, amortisedRate, precision, precisionLayers, m, s, train, eval, seed);
    }

    @Override
    public String toString() {
        return "TrainingSettings[data " + dataLayer + ", labels " + labelLayer + ", batch " + batch + ", epochs "
                + epochs + ", " + regime + ", " + update.name() + " " + Arrays.toString(rates) + ", init " + init + ", "
                + method + "]";
    }
}
