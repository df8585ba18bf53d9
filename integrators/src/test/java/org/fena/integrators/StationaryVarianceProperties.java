package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The noise increment scales with {@code sqrt(h)}: at constant noise the stationary variance of an
 * Ornstein–Uhlenbeck process, {@code sigma^2 / (2 theta)}, does not depend on the step. Scaling
 * the increment by {@code h} instead (a known bug elsewhere) would halve it with the step.
 */
class StationaryVarianceProperties {

    private static final int PATHS = 5000;

    private static double stationaryVariance(String method, double theta, double sigma, double h, long seed) {
        OrnsteinUhlenbeck ou = new OrnsteinUhlenbeck(PATHS, theta, sigma, 0.0, NoiseSource.seeded(seed));
        double[] y = new double[PATHS];
        // eight relaxation times: the start at 0 is forgotten to e^-16
        StochasticIntegrator.create(method, h).integrate(ou, 0.0, y, StopRules.finalTime(8.0 / theta));
        double m = 0;
        for (double v : y) {
            m += v;
        }
        m /= PATHS;
        double s = 0;
        for (double v : y) {
            s += (v - m) * (v - m);
        }
        return s / (PATHS - 1);
    }

    @Property(tries = 8)
    void halvingTheStepLeavesTheStationaryVarianceUnchanged(
            @ForAll @DoubleRange(min = 0.5, max = 2.0) double theta,
            @ForAll @DoubleRange(min = 0.3, max = 2.0) double sigma,
            @ForAll @DoubleRange(min = 0.01, max = 0.08) double thetaH,
            @ForAll boolean heun,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        String method = heun ? "stochastic-heun" : "euler-maruyama";
        double h = thetaH / theta;
        double exact = sigma * sigma / (2 * theta);
        double coarse = stationaryVariance(method, theta, sigma, h, seed) / exact;
        double fine = stationaryVariance(method, theta, sigma, h / 2, seed + 1) / exact;
        // sampling: sd of a variance ratio is sqrt(2/PATHS) = 0.02; discretisation bias <= theta h / 2
        double sd = Math.sqrt(2.0 / PATHS);
        assertEquals(1.0, coarse, 4 * sd + thetaH / 2, "variance / (sigma^2 / 2 theta) at h");
        assertEquals(1.0, fine, 4 * sd + thetaH / 4, "variance / (sigma^2 / 2 theta) at h/2");
        assertEquals(1.0, coarse / fine, 6 * sd + thetaH / 2, "ratio of the variances at h and h/2");
    }
}
