package org.fena.dynamics.learning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fena.dynamics.PcFlow;
import org.fena.dynamics.StopCriteria;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.integrators.IntegrationException;
import org.fena.integrators.IntegrationResult;
import org.fena.integrators.Integrator;
import org.fena.integrators.StopRule;
import org.fena.integrators.StopRules;

/**
 * Settles batch after batch of one fixed shape (batch size, clamp mask) on one reused
 * {@link EnergyWorkspace}: the inner loop of training and evaluation, which must not allocate per
 * batch. The caller sets the clamped values ({@link #clamp}), fills the initial free state
 * ({@link #initialise}) and calls {@link #settle}, or does both in {@link #initialiseAndSettle},
 * which computes a clamped layer's prediction once for the two; afterwards the workspace's buffers
 * ({@code errors}, {@code weightedErrorsTimesDerivative}, ...) hold the evaluation at the settled
 * state, ready for a Hebbian step.
 */
public final class BatchSettler {

    private final Hierarchy h;
    private final int batch;
    private final boolean[] mask;
    private final Integrator integrator;
    private final StopCriteria stop;
    private EnergyWorkspace ws;
    private PcFlow flow;
    private StopRule rule;
    private final double[] perLayer;

    /** A settler of {@code batch} samples of {@code h} with the layers in {@code mask} clamped. */
    public BatchSettler(Hierarchy h, int batch, boolean[] mask, Integrator integrator, StopCriteria stop) {
        this.h = h;
        this.batch = batch;
        this.mask = mask.clone();
        this.integrator = integrator;
        this.stop = stop;
        this.perLayer = new double[h.layers()];
        rebuild();
    }

    /**
     * Builds a fresh workspace (clamped values are kept). A changed precision does not need one: a
     * workspace reads each {@code Pi_l} from the hierarchy at every evaluation.
     */
    public void rebuild() {
        EnergyWorkspace fresh = new EnergyWorkspace(h, batch, mask);
        if (ws != null) {
            for (int l = 0; l < mask.length; l++) {
                if (mask[l]) {
                    fresh.setClamped(l, ws.clampedValues(l));
                }
            }
        }
        ws = fresh;
        // steps evaluate lean (stepFlow: eps, Pi eps and f' not stored), and settle() evaluates the
        // settled state once in full for the learning rules: cheaper than storing them at every step
        flow = new PcFlow(ws, null, true);
        rule = stopRule(flow, stop);
    }

    /** The workspace (replaced by {@link #rebuild}). */
    public EnergyWorkspace workspace() {
        return ws;
    }

    /** The number {@code B} of samples settled together. */
    public int batch() {
        return batch;
    }

    /**
     * Sets clamped layer {@code l} to {@code B x d_l} values copied from {@code src[from ..)}: before
     * {@link #settle} or {@link #initialiseAndSettle}, which take them as they are then.
     */
    public void clamp(int l, double[] src, int from) {
        System.arraycopy(src, from, ws.clampedValues(l), 0, batch * h.dim(l));
    }

    /** A free vector of the right length (allocate once, reuse). */
    public double[] newState() {
        return new double[ws.freeDimension()];
    }

    /**
     * Fills the free state {@code y} by {@code init}: zeros; top-down (a free top starts at its prior
     * mean or 0, every free layer below at the prediction of the layer above); or the amortised
     * bottom-up guess, then top-down for free layers it does not reach.
     */
    public void initialise(double[] y, InitMode init, AmortisedGuess guess) {
        Arrays.fill(y, 0, ws.freeDimension(), 0.0);
        if (init == InitMode.ZEROS) {
            return;
        }
        int top = h.top();
        if (init == InitMode.AMORTISED && guess != null) {
            guess.fill(ws, y);
        } else if (!mask[top] && h.hasPrior()) {
            double[] m = h.priorMean();
            int off = ws.freeOffset(top);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(m, 0, y, off + b * m.length, m.length);
            }
        }
        if (init == InitMode.AMORTISED && guess != null) {
            return;
        }
        for (int l = top - 1; l >= 0; l--) {
            if (!mask[l]) {
                ws.topDownPrediction(y, l, y, ws.freeOffset(l));
            }
        }
    }

    /**
     * Settles from {@code y} (updated in place) to the stop criteria.
     *
     * @return the outcome; a diverged settle is reported, not thrown
     */
    public Outcome settle(double[] y) {
        // the weights as they are now: a diverged settle leaves no full evaluation behind, and the
        // weights may have changed since (a sleep phase, another trainer's step)
        ws.retakeWeights();
        return integrate(y);
    }

    /**
     * {@link #initialise} then {@link #settle}, with the weights and clamped values held fixed from
     * the one to the other ({@link EnergyWorkspace#holdWeights}): the prediction a clamped layer makes
     * is computed once for the start, the steps and the settled state's full evaluation, instead of
     * three times (the same bits; twice where a batch split over threads runs its products in a
     * native BLAS, whose bits may depend on the rows, so the start's is not kept). Where the data sit
     * at the top, as in {@code examples/mnist-pc.yaml}, that is the largest product of a batch. The
     * weights and clamps are released before it returns, so whatever follows (a learning step) may
     * change them; nothing may change them in between.
     *
     * @param y     the free state, filled by {@code init} and then settled in place
     * @param init  how the free layers start
     * @param guess the amortised guess for {@link InitMode#AMORTISED}, else ignored (may be null)
     * @return the outcome; a diverged settle is reported, not thrown
     */
    public Outcome initialiseAndSettle(double[] y, InitMode init, AmortisedGuess guess) {
        ws.holdWeights();
        try {
            initialise(y, init, guess);
            return integrate(y);
        } finally {
            ws.retakeWeights();
        }
    }

    private Outcome integrate(double[] y) {
        IntegrationResult r;
        try {
            r = integrator.integrate(flow, 0.0, y, rule);
        } catch (IntegrationException e) {
            return new Outcome(false, true, 0, 0, Double.NaN, nan());
        }
        // one full evaluation at the settled state: the steps kept no error buffers, and an adapter
        // of another library need not have evaluated the final state last
        double e = ws.energy(y, perLayer);
        return new Outcome(r.termination().converged(), false, r.rhsEvaluations(), r.t(), e, perLayer.clone());
    }

    /** The energy at {@code y} with its per-layer terms; leaves the workspace's buffers evaluated at {@code y}. */
    public double evaluate(double[] y, double[] perLayerOut) {
        return ws.energy(y, perLayerOut);
    }

    /**
     * Per-sample energy {@code 1/2 sum_l eps_l' Pi_l eps_l} of each of the {@code B} samples from the
     * workspace's last evaluation, written into {@code out[0..B)}.
     */
    public void perSampleEnergy(double[] out) {
        Arrays.fill(out, 0, batch, 0.0);
        for (int l = 0; l < h.layers(); l++) {
            double[] e = ws.errors(l);
            double[] pe = ws.weightedErrors(l);
            if (e == null) {
                continue;
            }
            int d = h.dim(l);
            for (int b = 0, i = 0; b < batch; b++) {
                double s = 0;
                for (int j = 0; j < d; j++, i++) {
                    s += e[i] * pe[i];
                }
                out[b] += 0.5 * s;
            }
        }
    }

    private double[] nan() {
        double[] a = new double[h.layers()];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** The same stop rules {@code Settler} builds from {@link StopCriteria}. */
    static StopRule stopRule(PcFlow flow, StopCriteria stop) {
        List<StopRule> rules = new ArrayList<>();
        if (!Double.isInfinite(stop.tMax())) {
            rules.add(StopRules.finalTime(stop.tMax()));
        }
        if (stop.maxSteps() != Long.MAX_VALUE) {
            rules.add(StopRules.stepBudget(stop.maxSteps()));
        }
        if (stop.gradTol() > 0 || stop.gradRtol() > 0) {
            rules.add(StopRules.derivativeNorm(stop.gradTol(), stop.gradRtol(), flow.tauPerComponent()));
        }
        if (stop.energyTol() > 0) {
            rules.add(StopRules.change(s -> flow.energy(s.t(), s.y(), null), stop.energyTol(), stop.energyTol(),
                    stop.energyWindow()));
        }
        return StopRules.anyOf(rules.toArray(new StopRule[0]));
    }

    /**
     * What one settle of a batch reports.
     *
     * @param converged      a tolerance of the stop criteria was met (not a time or step budget)
     * @param diverged       the state became non-finite
     * @param rhsEvaluations evaluations of the vector field spent
     * @param time           simulated time reached
     * @param energy         energy at the settled state, summed over the batch
     * @param perLayer       its per-layer terms, bottom first
     */
    public record Outcome(boolean converged, boolean diverged, long rhsEvaluations, double time, double energy,
                          double[] perLayer) {
    }
}
