package org.fena.dynamics.learning;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.fena.dynamics.data.LabelledData;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.LocalLearner;
import org.fena.integrators.StopRules;

/**
 * Trains a hierarchy on labelled data by local rules only, in either regime of DESIGN.md §1, and
 * runs inference with the data alone clamped.
 *
 * <ul>
 *   <li>Two-phase: clamp a batch (data, and labels when supervised), start the free states by
 *       {@link InitMode}, settle to the stop rule, then one Hebbian step of every layer through
 *       {@link LocalLearner} (SGD or Adam, per-layer rates), then optionally a precision step.</li>
 *   <li>Continuous: each batch is presented for {@code presentTime} while states and weights flow
 *       together ({@link JointFlow}).</li>
 * </ul>
 *
 * <p>Supervised classification clamps one-hot labels to {@code labelLayer} during training; at
 * inference ({@link #evaluate}) only {@code dataLayer} is clamped, the label layer settles freely and
 * is read out by argmax: the hierarchy never receives the labels of the data it is evaluated on.
 * Unsupervised (generative) learning clamps the data only. Training is reproducible from the seed:
 * the batch order of epoch {@code e} is a shuffle by {@code new SplittableRandom(seed).split()} taken
 * {@code e} times, and nothing else is random. A final partial batch is dropped in training (the
 * shuffle moves different samples into it each epoch) and settled on its own in inference.
 */
public final class PcTrainer {

    private final Hierarchy h;
    private final TrainingSettings s;
    private final boolean[] trainMask;
    private final boolean[] evalMask;
    private final BatchSettler settler;
    private final LocalLearner learner;
    private final AmortisedGuess guess;
    private final SplittableRandom shuffles;
    private final double[] y;
    private final double[] targets;
    private JointFlow joint;
    private double[] jointState;
    private int epoch;

    /** A trainer of {@code h} (whose live parameters it updates) with settings {@code s}. */
    public PcTrainer(Hierarchy h, TrainingSettings s) {
        this.h = h;
        this.s = s;
        check(h, s);
        this.trainMask = new boolean[h.layers()];
        trainMask[s.dataLayer()] = true;
        if (s.supervised()) {
            trainMask[s.labelLayer()] = true;
        }
        this.evalMask = new boolean[h.layers()];
        evalMask[s.dataLayer()] = true;
        this.settler = new BatchSettler(h, s.batch(), trainMask, s.integrator(), s.stop());
        this.learner = new LocalLearner(h, s.update(), s.rates());
        this.guess = s.init() == InitMode.AMORTISED || s.amortisedRate() > 0 ? new AmortisedGuess(h, s.amortisedRate())
                : null;
        this.shuffles = new SplittableRandom(s.seed());
        this.y = settler.newState();
        this.targets = s.supervised() ? new double[s.batch() * h.dim(s.labelLayer())] : null;
    }

    private static void check(Hierarchy h, TrainingSettings s) {
        if (s.dataLayer() < 0 || s.dataLayer() > h.top()) {
            throw new IllegalArgumentException("data layer " + s.dataLayer() + " is not a layer 0.." + h.top());
        }
        if (s.labelLayer() > h.top()) {
            throw new IllegalArgumentException("label layer " + s.labelLayer() + " is not a layer 0.." + h.top());
        }
        if (s.init() == InitMode.AMORTISED && s.dataLayer() != 0) {
            throw new IllegalArgumentException("the amortised (bottom-up) start needs the data clamped at layer 0");
        }
    }

    /** The hierarchy being trained (live). */
    public Hierarchy hierarchy() {
        return h;
    }

    /** The settings. */
    public TrainingSettings settings() {
        return s;
    }

    /** The amortised guess, or null. */
    public AmortisedGuess amortisedGuess() {
        return guess;
    }

    /**
     * The local learner of the waking steps (its update rule and its state, e.g. Adam's moments):
     * whatever else is learnt between waking batches through it shares that state.
     */
    public LocalLearner learner() {
        return learner;
    }

    private static final java.util.function.IntConsumer NO_CALLBACK = b -> { };

    /** Trains one epoch on {@code train} and reports its diagnostics. */
    public EpochReport trainEpoch(LabelledData train) {
        return trainEpoch(train, NO_CALLBACK);
    }

    /**
     * Trains one epoch on {@code train}, calling {@code afterBatch} with the batch index after every
     * waking batch (after its weight step, or after it was skipped as diverged; may be null): where
     * other batches (dreams) are interleaved with the waking ones and where a progress bar advances.
     * The callback draws nothing from the trainer's shuffles, so the waking batch order is the same
     * with or without it.
     */
    public EpochReport trainEpoch(LabelledData train, java.util.function.IntConsumer afterBatch) {
        checkData(train);
        epoch++;
        return epoch(train, shuffles.split(), true, afterBatch == null ? NO_CALLBACK : afterBatch);
    }

    /**
     * Settling alone: every batch of an epoch clamped, started and settled exactly as
     * {@link #trainEpoch} would (training clamps, training stop rule, the batch order of the first
     * epoch), but no weight, precision or amortised step is taken and the trainer's state (epoch
     * count, shuffles, parameters) is left as it was. The reference for what learning adds to the
     * cost of settling (memory, time).
     */
    public EpochReport settleEpoch(LabelledData train) {
        checkData(train);
        return epoch(train, new SplittableRandom(s.seed()).split(), false, NO_CALLBACK);
    }

    private EpochReport epoch(LabelledData train, SplittableRandom shuffle, boolean learn,
            java.util.function.IntConsumer afterBatch) {
        long start = System.nanoTime();
        int[] order = new int[train.size()];
        Arrays.setAll(order, i -> i);
        LabelledData.shuffle(order, shuffle);
        int bsz = s.batch();
        int batches = train.size() / bsz;
        double[] x = new double[bsz * train.dim()];
        int classes = s.supervised() ? h.dim(s.labelLayer()) : 0;
        double[] perLayer = new double[h.layers()];
        double energy = 0;
        long rhs = 0;
        double time = 0;
        int unconverged = 0;
        int diverged = 0;
        int steps = 0;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < bsz; i++) {
                System.arraycopy(train.inputs(), order[b * bsz + i] * train.dim(), x, i * train.dim(), train.dim());
            }
            settler.clamp(s.dataLayer(), x, 0);
            if (s.supervised()) {
                Arrays.fill(targets, 0.0);
                for (int i = 0; i < bsz; i++) {
                    int label = train.labels()[order[b * bsz + i]];
                    if (label >= classes) {
                        throw new IllegalArgumentException("label " + label + " does not fit the label layer of "
                                + classes + " units");
                    }
                    targets[i * classes + label] = 1.0;
                }
                settler.clamp(s.labelLayer(), targets, 0);
            }
            BatchSettler.Outcome o;
            if (s.regime() == TrainingSettings.Regime.TWO_PHASE) {
                o = settler.initialiseAndSettle(y, s.init(), guess);
                if (o.diverged()) {
                    diverged++;
                    afterBatch.accept(b);
                    continue;
                }
                if (!o.converged()) {
                    unconverged++;
                }
                if (learn) {
                    learner.step(settler.workspace(), y);
                }
            } else {
                settler.initialise(y, s.init(), guess);
                o = learn ? presentContinuously() : settler.settle(y);
            }
            if (learn && guess != null && s.amortisedRate() > 0) {
                guess.learn(settler.workspace(), y);
            }
            if (learn && s.precision() != null && s.precisionLayers().length > 0) {
                if (s.regime() == TrainingSettings.Regime.TWO_PHASE) {
                    // the learning step has changed the weights since the settle's final evaluation;
                    // a continuous presentation ended with one at the weights it wrote back
                    settler.evaluate(y, null);
                }
                // no new workspace afterwards: a workspace reads each Pi_l from the hierarchy at every
                // evaluation (EnergyWorkspace#unitWeights) and the next settle takes its weight copies
                // afresh, so the joint flow and the settler's buffers stay valid
                s.precision().step(settler.workspace(), s.precisionLayers());
            }
            steps++;
            energy += o.energy();
            for (int l = 0; l < perLayer.length; l++) {
                perLayer[l] += o.perLayer()[l];
            }
            rhs += o.rhsEvaluations();
            time += o.time();
            afterBatch.accept(b);
        }
        int n = Math.max(1, steps);
        double samples = (double) n * bsz;
        for (int l = 0; l < perLayer.length; l++) {
            perLayer[l] /= samples;
        }
        return new EpochReport(learn ? epoch : 0, energy / samples, perLayer, EpochReport.imbalance(perLayer), rhs / (double) n,
                time / n, steps, unconverged, diverged, (System.nanoTime() - start) * 1e-9);
    }

    private BatchSettler.Outcome presentContinuously() {
        if (joint == null) {
            joint = new JointFlow(settler.workspace(), s.tauW());
            jointState = new double[joint.dimension()];
        }
        System.arraycopy(y, 0, jointState, 0, joint.stateDimension());
        joint.readParameters(jointState);
        long before = joint.evaluations();
        org.fena.integrators.IntegrationResult r = s.integrator().integrate(joint, 0.0, jointState,
                StopRules.finalTime(s.presentTime()));
        joint.writeBack(jointState);
        System.arraycopy(jointState, 0, y, 0, joint.stateDimension());
        double[] perLayer = new double[h.layers()];
        double e = settler.evaluate(y, perLayer);
        return new BatchSettler.Outcome(r.termination().converged(), false, joint.evaluations() - before, r.t(), e,
                perLayer);
    }

    /**
     * Inference on {@code data}: only the data layer is clamped (the labels in {@code data} are not
     * read), every settle uses the evaluation stop rule and the trainer's start.
     */
    public Evaluation evaluate(LabelledData data) {
        return evaluate(h, s, guess, data.inputs(), data.size(), data.dim());
    }

    /**
     * Inference on {@code n} inputs of dimension {@code dim} (row-major): only the data layer is
     * clamped; the label layer, if any, is read out by argmax after settling.
     */
    public static Evaluation evaluate(Hierarchy h, TrainingSettings s, AmortisedGuess guess, double[] inputs, int n,
            int dim) {
        if (dim != h.dim(s.dataLayer())) {
            throw new IllegalArgumentException("the data have " + dim + " values per sample, the data layer "
                    + s.dataLayer() + " has " + h.dim(s.dataLayer()) + " units");
        }
        long start = System.nanoTime();
        boolean[] mask = new boolean[h.layers()];
        mask[s.dataLayer()] = true;
        int bsz = Math.min(s.batch(), n);
        int[] pred = s.supervised() ? new int[n] : null;
        double[] energies = new double[n];
        double[] perLayer = new double[h.layers()];
        long rhs = 0;
        int full = 0;
        int settles = 0;
        int converged = 0;
        BatchSettler main = new BatchSettler(h, bsz, mask, s.integrator(), s.evalStop());
        BatchSettler rest = null;
        double[] sample = new double[bsz];
        double[] label = s.supervised() ? new double[bsz * h.dim(s.labelLayer())] : null;
        for (int from = 0; from < n; from += bsz) {
            int count = Math.min(bsz, n - from);
            BatchSettler bs = main;
            if (count < bsz) {
                rest = new BatchSettler(h, count, mask, s.integrator(), s.evalStop());
                bs = rest;
            }
            bs.clamp(s.dataLayer(), inputs, from * dim);
            double[] yy = bs.newState();
            BatchSettler.Outcome o = bs.initialiseAndSettle(yy, s.init(), guess);
            settles++;
            if (o.converged()) {
                converged++;
            }
            if (count == bsz) {
                rhs += o.rhsEvaluations();
                full++;
            }
            if (o.diverged()) {
                // a settle that went through ended in a full evaluation at yy, whose errors
                // perSampleEnergy reads; one that failed (diverged, or its integrator gave up) left none
                bs.evaluate(yy, null);
            }
            bs.perSampleEnergy(sample);
            System.arraycopy(sample, 0, energies, from, count);
            for (int l = 0; l < perLayer.length; l++) {
                perLayer[l] += o.perLayer()[l];
            }
            if (pred != null) {
                int c = h.dim(s.labelLayer());
                bs.workspace().layerState(yy, s.labelLayer(), label);
                for (int i = 0; i < count; i++) {
                    int best = 0;
                    for (int j = 1; j < c; j++) {
                        if (label[i * c + j] > label[i * c + best]) {
                            best = j;
                        }
                    }
                    pred[from + i] = best;
                }
            }
        }
        for (int l = 0; l < perLayer.length; l++) {
            perLayer[l] /= n;
        }
        return new Evaluation(pred, energies, perLayer, full == 0 ? rhs : rhs / (double) full,
                converged / (double) settles, (System.nanoTime() - start) * 1e-9);
    }

    /**
     * Generation: clamps the top layer to {@code causes} ({@code n x d_L} row-major) and settles every
     * other layer from the top-down start; returns the bottom layer's settled states ({@code n x d_0}).
     */
    public static double[] generate(Hierarchy h, TrainingSettings s, double[] causes, int n) {
        boolean[] mask = new boolean[h.layers()];
        mask[h.top()] = true;
        BatchSettler bs = new BatchSettler(h, n, mask, s.integrator(), s.evalStop());
        bs.clamp(h.top(), causes, 0);
        double[] yy = bs.newState();
        bs.initialiseAndSettle(yy, InitMode.TOP_DOWN, null);
        double[] out = new double[n * h.dim(0)];
        bs.workspace().layerState(yy, 0, out);
        return out;
    }

    private void checkData(LabelledData d) {
        if (d.dim() != h.dim(s.dataLayer())) {
            throw new IllegalArgumentException(d.name() + ": " + d.dim() + " values per sample, but the data layer "
                    + s.dataLayer() + " has " + h.dim(s.dataLayer()) + " units");
        }
        if (d.size() < s.batch()) {
            throw new IllegalArgumentException(d.name() + ": " + d.size() + " samples, fewer than one batch of "
                    + s.batch());
        }
    }
}
