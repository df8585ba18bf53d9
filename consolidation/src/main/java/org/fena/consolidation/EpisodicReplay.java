package org.fena.consolidation;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.fena.dynamics.learning.BatchSettler;
import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;

/**
 * Replay of stored episodes: each cycle takes the next batch of {@code B} episodes of a sweep through
 * the {@link EpisodicBuffer} in a seeded random order (a new permutation at every pass, the batch
 * wrapping into the next pass), so every stored episode is replayed equally often; it clamps their inputs to the data layer and their
 * one-hot labels to the label layer exactly as in waking training, settles the free layers from the
 * training start, and takes one Hebbian step {@code dW_l ∝ (Pi_l eps_l ⊙ f'_l) x_{l+1}'} at the settled
 * state. The step is {@code -(1/B) dE/dW} there, so a small enough step lowers the settled energy of
 * the replayed episodes.
 */
public final class EpisodicReplay implements SleepStrategy {

    private SplittableRandom rng;
    private int[] order;
    private int next;
    private double[] x;
    private double[] targets;
    private double[] y;

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public void begin(SleepContext ctx, SplittableRandom r) {
        this.rng = r;
        this.x = null;
        this.order = null;
        EpisodicBuffer b = ctx.buffer();
        if (b == null || b.size() == 0) {
            throw new IllegalStateException("replay needs a non-empty episodic buffer");
        }
    }

    @Override
    public void cycle(SleepContext ctx, int k) {
        Hierarchy h = ctx.hierarchy();
        TrainingSettings s = ctx.settings();
        EpisodicBuffer buf = ctx.buffer();
        BatchSettler bs = ctx.clampedSettler();
        int bsz = ctx.batch();
        if (x == null) {
            x = new double[bsz * buf.dim()];
            targets = s.supervised() ? new double[bsz * h.dim(s.labelLayer())] : null;
            y = bs.newState();
        }
        if (order == null || order.length != buf.size()) {
            order = java.util.stream.IntStream.range(0, buf.size()).toArray();
            next = order.length;
        }
        int[] picked = new int[bsz];
        for (int i = 0; i < bsz; i++) {
            if (next == order.length) {
                org.fena.dynamics.data.LabelledData.shuffle(order, rng);
                next = 0;
            }
            picked[i] = buf.episode(order[next++], x, i * buf.dim());
        }
        double e = settleAndLearn(ctx, bs, x, picked, targets, y);
        ctx.recordEnergy(name(), e / bsz);
    }

    /**
     * Clamps inputs {@code x} (and one-hot {@code labels} when supervised), settles from the training
     * start and takes one step of the sleep's learner; returns the settled energy of the batch before
     * the step (NaN if the settle diverged, in which case no step is taken).
     */
    static double settleAndLearn(SleepContext ctx, BatchSettler bs, double[] x, int[] labels, double[] targets,
            double[] y) {
        TrainingSettings s = ctx.settings();
        bs.clamp(s.dataLayer(), x, 0);
        if (targets != null) {
            int c = ctx.hierarchy().dim(s.labelLayer());
            Arrays.fill(targets, 0.0);
            for (int i = 0; i < labels.length; i++) {
                targets[i * c + labels[i]] = 1.0;
            }
            bs.clamp(s.labelLayer(), targets, 0);
        }
        // one call, not initialise then settle: the weights and clamps are held from the start to
        // the settled state's evaluation, so a clamped layer's prediction is computed once, not three
        // times (the same bits)
        BatchSettler.Outcome o = bs.initialiseAndSettle(y, s.init() == org.fena.dynamics.learning.InitMode.AMORTISED
                ? org.fena.dynamics.learning.InitMode.TOP_DOWN : s.init(), null);
        if (o.diverged()) {
            return Double.NaN;
        }
        ctx.learner().step(bs.workspace(), y);
        return o.energy();
    }

    /**
     * Mean settled energy per episode of {@code episodes} under {@code h}: each batch of {@code B}
     * clamped (inputs and labels) and settled with the training settings; the last partial batch is
     * dropped. The quantity replay lowers.
     */
    public static double meanSettledEnergy(Hierarchy h, TrainingSettings s, org.fena.dynamics.data.LabelledData episodes,
            int batch) {
        boolean[] mask = new boolean[h.layers()];
        mask[s.dataLayer()] = true;
        if (s.supervised()) {
            mask[s.labelLayer()] = true;
        }
        BatchSettler bs = new BatchSettler(h, batch, mask, s.integrator(), s.stop());
        double[] y = bs.newState();
        double[] t = s.supervised() ? new double[batch * h.dim(s.labelLayer())] : null;
        double sum = 0;
        int n = 0;
        for (int from = 0; from + batch <= episodes.size(); from += batch) {
            bs.clamp(s.dataLayer(), episodes.inputs(), from * episodes.dim());
            if (t != null) {
                episodes.oneHot(from, batch, t);
                bs.clamp(s.labelLayer(), t, 0);
            }
            bs.initialise(y, s.init() == org.fena.dynamics.learning.InitMode.AMORTISED
                    ? org.fena.dynamics.learning.InitMode.TOP_DOWN : s.init(), null);
            sum += bs.settle(y).energy();
            n += batch;
        }
        return sum / n;
    }
}
