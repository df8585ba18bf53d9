package org.fena.consolidation;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import org.fena.dynamics.learning.PcTrainer;

/**
 * Dreams interleaved with waking data (generative replay in the sense of Shin et al. 2017 and van de
 * Ven et al. 2020): while the hierarchy learns a new task awake, batches dreamed by a
 * {@link GenerativeReplay} (a class drawn among those the buffer has seen, its cause drawn from the
 * buffer's class statistics, the rest settled top-down under annealed Langevin noise) are learnt
 * between the waking batches, by the waking trainer's own learner, so that the old classes keep
 * pulling on the weights while the new ones are learnt.
 *
 * <p>The {@code ratio} {@code r >= 0} is the number of dreamed batches per waking batch: after waking
 * batch {@code b} (counted over the whole waking period) {@code floor((b+1) r) - floor(b r)} dreams
 * are learnt, so {@code r = 1} alternates, {@code r = 0.5} dreams after every other batch and
 * {@code r = 0} is plain sequential training, bit for bit. The classes dreamed are those offered to the
 * buffer before this waking period (the benchmark offers a task's data after it has been learnt). The
 * dreams' noise and classes come from the generator seeded at construction; energies are kept as a
 * {@link SleepReport} of strategy {@code dream} with cycle = dreamed batch.
 */
public final class InterleavedDreams {

    private final GenerativeReplay dream;
    private final double ratio;
    private final int batch;
    private final long seed;

    /**
     * Dreams of {@code dream}'s kind, {@code ratio} batches of {@code batch} per waking batch, seeded
     * by {@code seed}.
     */
    public InterleavedDreams(GenerativeReplay dream, double ratio, int batch, long seed) {
        if (!(ratio >= 0) || !Double.isFinite(ratio) || batch < 1) {
            throw new IllegalArgumentException("interleaving: a finite ratio >= 0 and a batch >= 1 expected, got "
                    + ratio + ", " + batch);
        }
        this.dream = dream;
        this.ratio = ratio;
        this.batch = batch;
        this.seed = seed;
    }

    /** Dreamed batches per waking batch. */
    public double ratio() {
        return ratio;
    }

    /** The same interleaving with another seed. */
    public InterleavedDreams withSeed(long s) {
        return new InterleavedDreams(dream, ratio, batch, s);
    }

    /**
     * Trains {@code epochs} epochs of {@code data} with {@code trainer}, learning the dreams of the
     * classes {@code buffer} has seen between the waking batches; returns what the dreams did.
     */
    public SleepReport wake(PcTrainer trainer, org.fena.dynamics.data.LabelledData data, int epochs,
            EpisodicBuffer buffer) {
        long t0 = System.nanoTime();
        SleepContext ctx = new SleepContext(trainer.hierarchy(), trainer.settings(), buffer, trainer.learner(), batch);
        boolean dreaming = ratio > 0 && buffer != null;
        if (dreaming) {
            dream.begin(ctx, new SplittableRandom(seed));
        }
        long[] wakingBatch = {0};
        int[] dreamed = {0};
        IntConsumer hook = b -> {
            long k = wakingBatch[0]++;
            long n = (long) Math.floor((k + 1) * ratio) - (long) Math.floor(k * ratio);
            for (long i = 0; i < n; i++) {
                ctx.cycleIndex(dreamed[0]);
                dream.cycle(ctx, dreamed[0]++);
            }
        };
        for (int e = 0; e < epochs; e++) {
            trainer.trainEpoch(data, dreaming ? hook : null);
        }
        if (dreaming) {
            dream.end(ctx);
        }
        List<double[]> d = ctx.dreams();
        return new SleepReport(seed, dreamed[0], List.of(dream.name()), List.copyOf(ctx.energy()),
                d.isEmpty() ? null : d.get(d.size() - 1),
                d.isEmpty() ? null : ctx.dreamLabels().get(d.size() - 1), (System.nanoTime() - t0) * 1e-9);
    }
}
