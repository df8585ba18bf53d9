package org.fena.consolidation;

import java.util.Arrays;
import java.util.Locale;

import org.fena.hierarchy.Hierarchy;

/**
 * Synaptic down-scaling (homeostasis), applied once at the end of a sleep: a multiplicative
 * renormalisation of the weights {@code W_l} (biases are left alone), never an increase.
 *
 * <ul>
 *   <li>{@link Mode#UNIFORM}: {@code W_l <- s W_l} with one factor {@code s in (0, 1]} for the whole
 *       layer, so the ranking of all of a layer's weights is preserved;</li>
 *   <li>{@link Mode#PER_UNIT}: each unit {@code i} of layer {@code l} scales its incoming weights
 *       (row {@code i} of {@code W_l}, from {@code x_{l+1}}) by {@code min(1, r* / |W_l[i,:]|)}, with
 *       the set point {@code r*} the smallest row norm of the layer times {@code level >= 1}: every
 *       unit's total synaptic strength is brought down towards the weakest one's, preserving the
 *       ranking of each unit's incoming weights. After class-incremental learning the label units of
 *       the newest classes have the strongest rows; this equalises them with the old classes'.</li>
 * </ul>
 *
 * @param mode   uniform or per unit
 * @param factor the uniform factor {@code s in (0, 1]} (uniform mode)
 * @param level  set point multiplier {@code >= 1} (per-unit mode)
 * @param layers the layers {@code l < L} whose {@code W_l} are scaled (empty: all)
 */
public record DownScaling(Mode mode, double factor, double level, int[] layers) implements SleepStrategy {

    /** How the factors are chosen. */
    public enum Mode {
        /** One factor per layer. */
        UNIFORM,
        /** One factor per post-synaptic unit, from a homeostatic set point. */
        PER_UNIT;

        /** The mode by name: {@code uniform} or {@code per_unit}. */
        public static Mode byName(String n) {
            switch (n.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
                case "uniform":
                    return UNIFORM;
                case "per_unit":
                    return PER_UNIT;
                default:
                    throw new IllegalArgumentException("unknown down-scaling mode '" + n + "'; known: uniform, per_unit");
            }
        }
    }

    /** Validates the numbers. */
    public DownScaling {
        if (!(factor > 0 && factor <= 1) || !(level >= 1) || Double.isInfinite(level)) {
            throw new IllegalArgumentException("down-scaling: factor in (0, 1] and a finite level >= 1 expected, got "
                    + factor + ", " + level);
        }
        layers = layers == null ? new int[0] : layers.clone();
    }

    @Override
    public String name() {
        return "downscale";
    }

    @Override
    public void end(SleepContext ctx) {
        apply(ctx.hierarchy());
    }

    /** Scales {@code h}'s weights in place. */
    public void apply(Hierarchy h) {
        int[] ls = layers.length == 0 ? java.util.stream.IntStream.range(0, h.top()).toArray() : layers;
        for (int l : ls) {
            if (l < 0 || l >= h.top()) {
                throw new IllegalArgumentException("down-scaling: layer " + l + " has no weights (0.." + (h.top() - 1) + ")");
            }
            double[] w = h.weights(l);
            if (mode == Mode.UNIFORM) {
                for (int i = 0; i < w.length; i++) {
                    w[i] *= factor;
                }
                continue;
            }
            int rows = h.dim(l);
            int cols = h.dim(l + 1);
            double[] norm = new double[rows];
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += w[i * cols + j] * w[i * cols + j];
                }
                norm[i] = Math.sqrt(s);
            }
            double target = level * Arrays.stream(norm).min().orElse(0);
            for (int i = 0; i < rows; i++) {
                if (norm[i] > target && norm[i] > 0) {
                    double f = target / norm[i];
                    for (int j = 0; j < cols; j++) {
                        w[i * cols + j] *= f;
                    }
                }
            }
        }
    }
}
