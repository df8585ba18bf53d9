package org.fena.dynamics;

import java.util.Map;
import java.util.Objects;

/**
 * How the free layers start before settling: at zero, at seeded random values, at the top-down
 * predictions of the layers above, or at values the caller gives.
 */
public sealed interface InitialState {

    /** Every free unit at 0. */
    static InitialState zeros() {
        return new Zeros();
    }

    /** Every free unit drawn from {@code N(0, std^2)} with a seeded generator. */
    static InitialState random(long seed, double std) {
        return new Random(seed, std);
    }

    /**
     * Free layers set from the top down to the prediction of the layer above,
     * {@code x_l = mu_l(x_{l+1})}; a free top layer starts at its prior mean, or at 0.
     */
    static InitialState topDown() {
        return new TopDown();
    }

    /**
     * Explicit values ({@code B x d_l} row-major, or one row broadcast over the batch) for the
     * layers in {@code values}; free layers not named start at {@code fallback}.
     */
    static InitialState explicit(Map<Integer, double[]> values, InitialState fallback) {
        return new Explicit(Map.copyOf(values), Objects.requireNonNull(fallback));
    }

    /** All free units at zero. */
    record Zeros() implements InitialState {
    }

    /**
     * Gaussian start.
     *
     * @param seed seed of the generator (one stream for the whole state, in layout order)
     * @param std  standard deviation
     */
    record Random(long seed, double std) implements InitialState {
        /** Validates the standard deviation. */
        public Random {
            if (!(std >= 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("initial_state std must be a finite number >= 0, got " + std);
            }
        }
    }

    /** Top-down predictions. */
    record TopDown() implements InitialState {
    }

    /**
     * Given values.
     *
     * @param values   per-layer values
     * @param fallback rule for the free layers not given
     */
    record Explicit(Map<Integer, double[]> values, InitialState fallback) implements InitialState {
    }
}
