package org.fena.integrators;

import java.util.SplittableRandom;

/**
 * {@code M} independent Ornstein–Uhlenbeck paths {@code dX = -theta X dt + sigma(t) dW} as one
 * {@link SdeSystem}, with the known moments {@code E X(t) = x0 e^{-theta t}} and, for constant
 * {@code sigma}, {@code Var X(t) = sigma^2 (1 - e^{-2 theta t}) / (2 theta)}.
 */
final class OrnsteinUhlenbeck implements SdeSystem {

    final int paths;
    final double theta;
    final double sigma;
    /** Extra time dependence of the noise scale, {@code sigma(t) = sigma (1 + wobble sin t)}. */
    final double wobble;
    private final NoiseSource noise;

    OrnsteinUhlenbeck(int paths, double theta, double sigma, double wobble, NoiseSource noise) {
        this.paths = paths;
        this.theta = theta;
        this.sigma = sigma;
        this.wobble = wobble;
        this.noise = noise;
    }

    @Override
    public int dimension() {
        return paths;
    }

    @Override
    public void derivative(double t, double[] y, double[] yDot) {
        for (int i = 0; i < paths; i++) {
            yDot[i] = -theta * y[i];
        }
    }

    @Override
    public void diffusion(double t, double[] g) {
        java.util.Arrays.fill(g, sigma * (1 + wobble * Math.sin(t)));
    }

    @Override
    public NoiseSource noise() {
        return noise;
    }

    double mean(double x0, double t) {
        return x0 * Math.exp(-theta * t);
    }

    double secondMoment(double x0, double t) {
        double m = mean(x0, t);
        return m * m + sigma * sigma * (1 - Math.exp(-2 * theta * t)) / (2 * theta);
    }

    /**
     * One Brownian path per component sampled on a fine grid of step {@code delta} from a seed,
     * replayed at any step {@code h = r delta}: the coarse {@code z} is the sum of {@code r} fine
     * normals over {@code sqrt(r)}, so {@code sqrt(h) z} is exactly the sum of the fine increments
     * and every resolution sees the same path (common random numbers).
     */
    static NoiseSource replay(long seed, int paths, int substeps) {
        SplittableRandom rng = new SplittableRandom(seed);
        double scale = 1.0 / Math.sqrt(substeps);
        return z -> {
            java.util.Arrays.fill(z, 0.0);
            for (int j = 0; j < substeps; j++) {
                for (int i = 0; i < paths; i++) {
                    z[i] += rng.nextGaussian();
                }
            }
            for (int i = 0; i < paths; i++) {
                z[i] *= scale;
            }
        };
    }
}
