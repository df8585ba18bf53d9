package org.fena.dynamics.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fena.integrators.ButcherTableau;
import org.junit.jupiter.api.Test;

/** Known answers for stability functions, step bounds and fixed-point types. */
class StepBoundTest {

    @Test
    void stabilityFunctionsAreTheTruncatedExponentialForTheClassicalMethods() {
        assertArrayEquals(new double[] {1, 1}, StabilityRegion.of(ButcherTableau.EULER).coefficients(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5}, StabilityRegion.of(ButcherTableau.HEUN).coefficients(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5}, StabilityRegion.of(ButcherTableau.MIDPOINT).coefficients(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5, 1.0 / 6, 1.0 / 24},
                StabilityRegion.of(ButcherTableau.RK4).coefficients(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5, 1.0 / 6}, StabilityRegion.of(ButcherTableau.BS3).coefficients(), 1e-15);
        double[] dp = StabilityRegion.of(ButcherTableau.DOPRI5).coefficients();
        assertEquals(7, dp.length); // order 5 with 7 stages (FSAL): R has a degree-6 term 1/600
        assertEquals(1.0 / 120, dp[5], 1e-15);
        assertEquals(1.0 / 600, dp[6], 1e-15);
    }

    @Test
    void eulerOnARealSpectrumAllowsTwoOverLambda() {
        StabilityRegion euler = StabilityRegion.forIntegrator("euler");
        assertEquals(2.0 / 7.0, euler.largestStableStep(-7, 0), 1e-14);
        assertEquals(2.0 / 7.0, euler.largestStableStep(new double[] {-0.5, -7, -3}, new double[3], 1e-12), 1e-14);
        // complex pair a +- ib: |1 + h lambda| = 1 at h = 2|a| / |lambda|^2
        assertEquals(2.0 * 1 / (1 + 4), euler.largestStableStep(-1, 2), 1e-13);
        assertEquals(0.0, euler.largestStableStep(0, 3), 1e-6);
        assertEquals(0.0, euler.largestStableStep(0.5, 0));
        assertEquals(Double.POSITIVE_INFINITY, euler.largestStableStep(0, 0));
    }

    @Test
    void rk4ReachesItsKnownBoundsOnTheRealAndImaginaryAxes() {
        StabilityRegion rk4 = StabilityRegion.forIntegrator("rk4");
        assertEquals(2.785293563405282, rk4.largestStableStep(-1, 0), 1e-12);
        assertEquals(2 * Math.sqrt(2), rk4.largestStableStep(0, -1), 1e-9);
        assertEquals(2.0, StabilityRegion.forIntegrator("heun").largestStableStep(-1, 0), 1e-12);
        assertEquals(2.5127453266183286, StabilityRegion.forIntegrator("bs3").largestStableStep(-1, 0), 1e-9);
        assertEquals(rk4.largestStableStep(-2, 1), StabilityRegion.forIntegrator("cm-rk4").largestStableStep(-2, 1));
        assertNull(StabilityRegion.forIntegrator("cm-adams-bashforth"));
    }

    @Test
    void spectralRadiusOfTheOneStepMapCrossesOneAtTheBound() {
        StabilityRegion euler = StabilityRegion.forIntegrator("euler");
        double[] re = {-1, -4};
        double[] im = {0, 0};
        assertEquals(0.7, euler.spectralRadius(re, im, 0.3), 1e-12); // max(|1 - 0.3|, |1 - 1.2|)
        assertEquals(1.0, euler.spectralRadius(re, im, 0.5), 1e-12);
        assertTrue(euler.spectralRadius(re, im, 0.51) > 1);
        assertTrue(euler.oscillates(re, im, 0.3)); // 1 - 4 h < 0: the fast mode flips sign each step
        assertFalse(euler.oscillates(re, im, 0.2));
    }

    @Test
    void fixedPointTypesFollowTheSignsOfTheSpectrum() {
        double t = 1e-9;
        assertEquals(FixedPointType.STABLE_NODE, FixedPointType.classify(new double[] {-1, -2}, new double[2], t));
        assertEquals(FixedPointType.STABLE_FOCUS, FixedPointType.classify(new double[] {-1, -1}, new double[] {2, -2}, t));
        assertEquals(FixedPointType.SADDLE, FixedPointType.classify(new double[] {1, -2}, new double[2], t));
        assertEquals(FixedPointType.UNSTABLE_NODE, FixedPointType.classify(new double[] {1, 2}, new double[2], t));
        assertEquals(FixedPointType.UNSTABLE_FOCUS, FixedPointType.classify(new double[] {1, 1}, new double[] {1, -1}, t));
        assertEquals(FixedPointType.CENTRE, FixedPointType.classify(new double[] {0, 0, -1}, new double[] {1, -1, 0}, t));
        assertEquals(FixedPointType.DEGENERATE, FixedPointType.classify(new double[] {0, -1}, new double[2], t));
        assertEquals(FixedPointType.SADDLE, FixedPointType.fromLabel("saddle"));
    }
}
