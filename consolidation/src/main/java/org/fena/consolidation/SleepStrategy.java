package org.fena.consolidation;

import java.util.SplittableRandom;

/**
 * One ingredient of a {@link Sleep}. A sleep calls {@link #begin} on every strategy in order, then
 * runs its cycles, in each of which every strategy's {@link #cycle} acts in order, then calls
 * {@link #end} in order. A strategy may keep state across sleeps (the slow weights of
 * {@link FastToSlowTransfer}); everything random comes from the generator handed to {@link #begin},
 * split from the sleep's seed.
 */
public interface SleepStrategy {

    /** The strategy's name in reports and traces. */
    String name();

    /** Called once before the first cycle, with this strategy's own generator for this sleep. */
    default void begin(SleepContext ctx, SplittableRandom rng) {
    }

    /** One cycle {@code k = 0..duration-1} of the sleep. */
    default void cycle(SleepContext ctx, int k) {
    }

    /** Called once after the last cycle. */
    default void end(SleepContext ctx) {
    }
}
