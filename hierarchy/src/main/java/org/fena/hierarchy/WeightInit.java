package org.fena.hierarchy;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded rule that fills a weight matrix {@code W_l} ({@code d_l x d_{l+1}}, row-major) before a
 * run. Fan-in is {@code d_{l+1}} (the columns: the units that predict), fan-out {@code d_l} (the
 * rows: the units predicted). Every rule draws only from the generator it is handed, so a seed
 * fixes the weights exactly.
 */
public interface WeightInit {

    /** The configuration name ({@code xavier_uniform}, {@code normal}, ...). */
    String name();

    /** Fills {@code w[0 .. rows*cols)} row-major, drawing from {@code rng} only. */
    void fill(double[] w, int rows, int cols, SplittableRandom rng);

    /** Uniform on {@code [-r, r]} with {@code r = sqrt(6 / (fan_in + fan_out))} (Glorot and Bengio). */
    static WeightInit xavierUniform() {
        return xavierUniform(1.0);
    }

    /** {@link #xavierUniform()} with the limit multiplied by {@code gain}. */
    static WeightInit xavierUniform(double gain) {
        checkScale("xavier_uniform gain", gain);
        return new NamedWeightInit("xavier_uniform", gain) {
            @Override
            public void fill(double[] w, int rows, int cols, SplittableRandom rng) {
                double r = gain * Math.sqrt(6.0 / (rows + cols));
                for (int i = 0, n = rows * cols; i < n; i++) {
                    w[i] = r * (2.0 * rng.nextDouble() - 1.0);
                }
            }
        };
    }

    /** Normal with mean 0 and standard deviation {@code sqrt(2 / (fan_in + fan_out))}. */
    static WeightInit xavierNormal() {
        return xavierNormal(1.0);
    }

    /** {@link #xavierNormal()} with the standard deviation multiplied by {@code gain}. */
    static WeightInit xavierNormal(double gain) {
        checkScale("xavier_normal gain", gain);
        return new NamedWeightInit("xavier_normal", gain) {
            @Override
            public void fill(double[] w, int rows, int cols, SplittableRandom rng) {
                gaussian(w, rows * cols, gain * Math.sqrt(2.0 / (rows + cols)), rng);
            }
        };
    }

    /** Normal with mean 0 and standard deviation {@code sqrt(2 / fan_in)} (He et al., for rectifiers). */
    static WeightInit heNormal() {
        return heNormal(1.0);
    }

    /** {@link #heNormal()} with the standard deviation multiplied by {@code gain}. */
    static WeightInit heNormal(double gain) {
        checkScale("he_normal gain", gain);
        return new NamedWeightInit("he_normal", gain) {
            @Override
            public void fill(double[] w, int rows, int cols, SplittableRandom rng) {
                gaussian(w, rows * cols, gain * Math.sqrt(2.0 / cols), rng);
            }
        };
    }

    /** Normal with mean 0 and the given standard deviation ({@code >= 0}, finite). */
    static WeightInit normal(double std) {
        checkScale("normal std", std);
        return new NamedWeightInit("normal", std) {
            @Override
            public void fill(double[] w, int rows, int cols, SplittableRandom rng) {
                gaussian(w, rows * cols, std, rng);
            }
        };
    }

    /** All weights 0 (the top layers then start silent: useful to test learning from scratch). */
    static WeightInit zeros() {
        return new NamedWeightInit("zeros", Double.NaN) {
            @Override
            public void fill(double[] w, int rows, int cols, SplittableRandom rng) {
                java.util.Arrays.fill(w, 0, rows * cols, 0.0);
            }
        };
    }

    /**
     * The rule a configuration names, case-insensitively: {@code xavier_uniform}, {@code xavier_normal},
     * {@code he_normal}, {@code normal}, {@code zeros}. {@code scaleOrNaN} is the standard deviation of
     * {@code normal} (required there) and a gain on the scale of the Xavier and He rules (NaN means 1);
     * {@code zeros} ignores it.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad scale
     */
    static WeightInit byName(String rule, double scaleOrNaN) {
        String n = rule == null ? "" : rule.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        double gain = Double.isNaN(scaleOrNaN) ? 1.0 : scaleOrNaN;
        switch (n) {
            case "xavier_uniform":
            case "glorot_uniform":
                return xavierUniform(gain);
            case "xavier_normal":
            case "glorot_normal":
                return xavierNormal(gain);
            case "he_normal":
            case "kaiming_normal":
                return heNormal(gain);
            case "normal":
                if (Double.isNaN(scaleOrNaN)) {
                    throw new IllegalArgumentException("weight init 'normal' needs a standard deviation (std), e.g. {rule: normal, std: 0.1}");
                }
                return normal(scaleOrNaN);
            case "zeros":
                return zeros();
            default:
                throw new IllegalArgumentException("unknown weight init '" + rule
                        + "'; known: xavier_uniform, xavier_normal, he_normal, normal, zeros");
        }
    }

    private static void checkScale(String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
        }
    }

    private static void gaussian(double[] w, int n, double std, SplittableRandom rng) {
        for (int i = 0; i < n; i++) {
            w[i] = std * rng.nextGaussian();
        }
    }
}
