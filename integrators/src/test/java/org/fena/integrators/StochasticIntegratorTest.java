package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Known answers of the additive-noise integrators on Ornstein–Uhlenbeck processes: Euler–Maruyama's
 * weak order 1, stochastic Heun's strong order 1, the moments of the reference solution, and the
 * exact deterministic path when the noise is zero.
 */
class StochasticIntegratorTest {

    private static final double THETA = 1.0;
    private static final double SIGMA = 1.0;
    private static final double X0 = 1.0;
    private static final double T_END = 1.0;
    private static final int PATHS = 4000;
    /** Fine Brownian grid: 1/640, so every tested step is a whole number of fine steps. */
    private static final int FINE_PER_UNIT = 640;

    /** Final states of {@code PATHS} OU paths at step {@code 1/stepsPerUnit}, all on the same Brownian paths. */
    private static double[] solve(String method, int stepsPerUnit, long seed) {
        int r = FINE_PER_UNIT / stepsPerUnit;
        OrnsteinUhlenbeck ou = new OrnsteinUhlenbeck(PATHS, THETA, SIGMA, 0.5,
                OrnsteinUhlenbeck.replay(seed, PATHS, r));
        double[] y = new double[PATHS];
        Arrays.fill(y, X0);
        StochasticIntegrator.create(method, 1.0 / stepsPerUnit).integrate(ou, 0.0, y, StopRules.finalTime(T_END));
        return y;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void stochasticHeunConvergesPathwiseWithStrongOrderOne() {
        double[] ref = solve("stochastic-heun", FINE_PER_UNIT, 11);
        int[] resolutions = {5, 10, 20, 40};
        double[] err = new double[resolutions.length];
        for (int k = 0; k < resolutions.length; k++) {
            double[] y = solve("stochastic-heun", resolutions[k], 11);
            double s = 0;
            for (int i = 0; i < PATHS; i++) {
                s += Math.abs(y[i] - ref[i]);
            }
            err[k] = s / PATHS;
        }
        double order = log2(err[0] / err[resolutions.length - 1]) / (resolutions.length - 1);
        assertTrue(order > 0.85 && order < 1.3, "strong order " + order + ", errors " + Arrays.toString(err));
    }

    @Test
    void eulerMaruyamaMomentsConvergeWithWeakOrderOne() {
        double[] ref = solve("stochastic-heun", FINE_PER_UNIT, 5);
        int[] resolutions = {5, 10, 20};
        double[] err = new double[resolutions.length];
        for (int k = 0; k < resolutions.length; k++) {
            double[] y = solve("euler-maruyama", resolutions[k], 5);
            double s = 0;
            for (int i = 0; i < PATHS; i++) {
                // common random numbers: the difference of second moments has a small variance
                s += y[i] * y[i] - ref[i] * ref[i];
            }
            err[k] = Math.abs(s / PATHS);
        }
        double order = log2(err[0] / err[2]) / 2;
        assertTrue(order > 0.8 && order < 1.25, "weak order " + order + ", errors " + Arrays.toString(err));
    }

    @Test
    void referenceSolutionHasTheKnownOrnsteinUhlenbeckMoments() {
        // constant sigma here, where the variance is known in closed form
        OrnsteinUhlenbeck ou = new OrnsteinUhlenbeck(PATHS, THETA, SIGMA, 0.0, NoiseSource.seeded(3));
        double[] y = new double[PATHS];
        Arrays.fill(y, X0);
        new StochasticHeun(1.0 / 200).integrate(ou, 0.0, y, StopRules.finalTime(T_END));
        double m1 = 0;
        double m2 = 0;
        double m4 = 0;
        for (double v : y) {
            m1 += v;
            m2 += v * v;
            m4 += v * v * v * v;
        }
        m1 /= PATHS;
        m2 /= PATHS;
        m4 /= PATHS;
        double var = ou.secondMoment(X0, T_END) - ou.mean(X0, T_END) * ou.mean(X0, T_END);
        assertEquals(ou.mean(X0, T_END), m1, 4 * Math.sqrt(var / PATHS), "mean");
        assertEquals(ou.secondMoment(X0, T_END), m2, 4 * Math.sqrt((m4 - m2 * m2) / PATHS), "second moment");
    }

    /** A nonlinear field with noise switched off everywhere: the SDE methods must not perturb it. */
    private static final class Silent implements SdeSystem {
        int draws;

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            yDot[0] = -Math.sin(y[0]) + 0.1 * y[1];
            yDot[1] = -y[1] * y[1] * y[1] + Math.cos(t);
            yDot[2] = y[0] - 0.5 * y[2];
        }

        @Override
        public void diffusion(double t, double[] g) {
            Arrays.fill(g, 0.0);
        }

        @Override
        public NoiseSource noise() {
            NoiseSource inner = NoiseSource.seeded(1);
            return z -> {
                draws++;
                inner.standardNormals(z);
            };
        }
    }

    private static List<double[]> path(Integrator integrator, OdeSystem system) {
        List<double[]> states = new ArrayList<>();
        double[] y = {1.0, -0.5, 0.25};
        integrator.integrate(system, 0.0, y, StopRules.finalTime(3.0), s -> states.add(s.y().clone()));
        states.add(y);
        return states;
    }

    @Test
    void zeroNoiseGivesExactlyTheDeterministicEulerAndHeunPaths() {
        for (String[] pair : new String[][] {{"euler-maruyama", "euler"}, {"stochastic-heun", "heun"}}) {
            Silent sde = new Silent();
            List<double[]> stochastic = path(StochasticIntegrator.create(pair[0], 0.01), sde);
            List<double[]> deterministic = path(Integrators.create(pair[1], StepSettings.fixed(0.01)), sde);
            assertEquals(deterministic.size(), stochastic.size());
            for (int k = 0; k < stochastic.size(); k++) {
                assertArrayEquals(deterministic.get(k), stochastic.get(k), 0.0, pair[0] + " step " + k);
            }
            assertEquals(300, sde.draws, "every step draws its normals, used or not");
        }
    }

    @Test
    void sameSeedGivesTheSamePathAndAnotherSeedAnother() {
        double[] a = solveSeeded(7);
        double[] b = solveSeeded(7);
        double[] c = solveSeeded(8);
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c));
    }

    private static double[] solveSeeded(long seed) {
        OrnsteinUhlenbeck ou = new OrnsteinUhlenbeck(10, THETA, SIGMA, 0.0, NoiseSource.seeded(seed));
        double[] y = new double[10];
        new EulerMaruyama(0.01).integrate(ou, 0.0, y, StopRules.finalTime(1.0));
        return y;
    }

    @Test
    void lastStepLandsOnTheHorizonAndCountsEvaluations() {
        OrnsteinUhlenbeck ou = new OrnsteinUhlenbeck(2, THETA, SIGMA, 0.0, NoiseSource.seeded(1));
        IntegrationResult r = new StochasticHeun(0.3).integrate(ou, 0.0, new double[2], StopRules.finalTime(1.0));
        assertEquals(1.0, r.t(), 0.0);
        assertEquals(4, r.steps());
        assertEquals(1 + 2 * 4, r.rhsEvaluations());
    }

    @Test
    void aStateThatBlowsUpIsReportedAsDivergence() {
        OrnsteinUhlenbeck unstable = new OrnsteinUhlenbeck(1, -400.0, 1.0, 0.0, NoiseSource.seeded(1));
        double[] y = {1.0};
        assertThrows(DivergenceException.class,
                () -> new EulerMaruyama(1.0).integrate(unstable, 0.0, y, StopRules.finalTime(1e6)));
    }

    @Test
    void unknownNamesAndBadStepsAreRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StochasticIntegrator.create("milstein", 0.1));
        assertTrue(e.getMessage().contains("euler-maruyama"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StochasticIntegrator.create("em", -1));
        assertEquals("stochastic-heun", StochasticIntegrator.create("SRA", 0.1).name());
    }
}
