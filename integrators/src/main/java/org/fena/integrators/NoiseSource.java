package org.fena.integrators;

import java.util.SplittableRandom;

/**
 * The Brownian driver of a stochastic system: independent standard normal draws {@code z}, from
 * which a step of size {@code h} forms its increments {@code dW = sqrt(h) z}.
 *
 * <p>A source owns its random streams; who draws which component from which stream is the source's
 * business, so a batched system can give every sample its own seeded stream and stay reproducible
 * whatever the thread count. A source serves one run on one thread.
 */
@FunctionalInterface
public interface NoiseSource {

    /** Fills {@code z} with independent {@code N(0, 1)} draws; must not allocate. */
    void standardNormals(double[] z);

    /** One seeded {@link SplittableRandom} stream for every component, drawn in index order. */
    static NoiseSource seeded(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return z -> {
            for (int i = 0; i < z.length; i++) {
                z[i] = rng.nextGaussian();
            }
        };
    }
}
