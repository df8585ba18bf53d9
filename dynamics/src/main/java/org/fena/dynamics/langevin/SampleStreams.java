package org.fena.dynamics.langevin;

import java.util.SplittableRandom;

/**
 * One seeded random stream per sample: sample {@code b}'s stream is the {@code b}-th
 * {@link SplittableRandom#split()} of {@code new SplittableRandom(seed)}, taken in sample order
 * before anything runs. A sample's noise therefore depends on the seed and its index only — not on
 * the thread that steps it, nor on which other samples share its batch.
 */
public final class SampleStreams {

    private SampleStreams() {
    }

    /** The streams of samples {@code 0..count-1} under {@code seed}. */
    public static SplittableRandom[] split(long seed, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] out = new SplittableRandom[count];
        for (int b = 0; b < count; b++) {
            out[b] = root.split();
        }
        return out;
    }
}
