package org.fena.consolidation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.LocalLearner;
import org.fena.hierarchy.learning.UpdateRule;

/**
 * An offline consolidation phase: no input from the world is clamped; for {@code duration} cycles
 * the composed {@link SleepStrategy strategies} act on the hierarchy in order, each weight change
 * being the local Hebbian rule (through one {@link LocalLearner} with the sleep's own update rule
 * and rate) or a multiplicative map of the weights.
 *
 * <p>A sleep is reproducible from its {@code seed}: strategy {@code i} draws from the {@code i}-th
 * split of {@code new SplittableRandom(seed)}, and nothing else is random. A sleep with no
 * strategies leaves the weights exactly as they were.
 *
 * @param strategies the strategies, in the order they act
 * @param duration   number of cycles
 * @param batch      samples per replayed or dreamed batch
 * @param update     update rule of the sleep's weight steps
 * @param rate       learning rate of every layer in sleep
 * @param seed       master seed
 */
public record Sleep(List<SleepStrategy> strategies, int duration, int batch, UpdateRule update, double rate,
                    long seed) {

    /** Validates the numbers. */
    public Sleep {
        strategies = List.copyOf(strategies);
        if (duration < 0 || batch < 1 || !(rate >= 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("sleep: duration >= 0, batch >= 1 and a finite rate >= 0 expected, got "
                    + duration + ", " + batch + ", " + rate);
        }
    }

    /** The same sleep with another seed. */
    public Sleep withSeed(long s) {
        return new Sleep(strategies, duration, batch, update, rate, s);
    }

    /** Names of the strategies, in order. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        for (SleepStrategy st : strategies) {
            n.add(st.name());
        }
        return n;
    }

    /**
     * Sleeps: runs every strategy on {@code h} (changed in place), trained with {@code s}, with the
     * episodic {@code buffer} (null if none was kept).
     */
    public SleepReport run(Hierarchy h, TrainingSettings s, EpisodicBuffer buffer) {
        long t0 = System.nanoTime();
        SleepContext ctx = new SleepContext(h, s, buffer, new LocalLearner(h, update, rate), batch);
        SplittableRandom master = new SplittableRandom(seed);
        for (SleepStrategy st : strategies) {
            st.begin(ctx, master.split());
        }
        if (!strategies.isEmpty()) {
            for (int k = 0; k < duration; k++) {
                ctx.cycleIndex(k);
                for (SleepStrategy st : strategies) {
                    st.cycle(ctx, k);
                }
            }
        }
        for (SleepStrategy st : strategies) {
            st.end(ctx);
        }
        List<double[]> d = ctx.dreams();
        return new SleepReport(seed, duration, names(), List.copyOf(ctx.energy()),
                d.isEmpty() ? null : d.get(d.size() - 1),
                d.isEmpty() ? null : ctx.dreamLabels().get(d.size() - 1), (System.nanoTime() - t0) * 1e-9);
    }
}
