package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;

class IntegratorPropertiesTest {

    @Provide
    Arbitrary<String> builtIn() {
        return Arbitraries.of("euler", "midpoint", "heun", "rk4", "bs3", "dopri5");
    }

    @Provide
    Arbitrary<String> adaptive() {
        return Arbitraries.of("bs3", "dopri5");
    }

    @Property(tries = 200)
    void everyRunLandsExactlyOnItsHorizon(@ForAll("builtIn") String name,
                                          @ForAll @DoubleRange(min = -5, max = 5) @Scale(6) double t0,
                                          @ForAll @DoubleRange(min = 1e-3, max = 20) @Scale(6) double span,
                                          @ForAll @DoubleRange(min = 1e-3, max = 2) @Scale(6) double h) {
        double tEnd = t0 + span;
        double[] largest = {0};
        double[] lastT = {t0};
        IntegrationResult r = Integrators.create(name, StepSettings.fixed(h)).integrate(
                new TestSystems.Decay(1, 0.5), t0, new double[] {1.0}, StopRules.finalTime(tEnd), s -> {
                    largest[0] = Math.max(largest[0], s.stepSize());
                    assertEquals(lastT[0], s.previousT(), 0.0);
                    lastT[0] = s.t();
                });
        assertEquals(tEnd, r.t(), 0.0);
        assertTrue(largest[0] <= h * (1 + 1e-9) + Math.ulp(tEnd) * 4, "no step longer than h");
        assertEquals(Math.max(1, Math.ceil(span / h - 1e-9)), r.steps(), 1.0);
    }

    @Property(tries = 100)
    void adaptiveRunsLandExactlyAndHonourMaxStep(@ForAll("adaptive") String name,
                                                 @ForAll @DoubleRange(min = 1e-2, max = 30) double tEnd,
                                                 @ForAll @DoubleRange(min = 1e-2, max = 5) double maxStep) {
        double[] largest = {0};
        IntegrationResult r = Integrators.create(name, StepSettings.tolerances(1e-5, 1e-8).withMaxStep(maxStep))
                .integrate(new TestSystems.RotationDecay(0.1, 1.0), 0.0, new double[] {1.0, 0.0},
                        StopRules.finalTime(tEnd), s -> largest[0] = Math.max(largest[0], s.stepSize()));
        assertEquals(tEnd, r.t(), 0.0);
        assertTrue(largest[0] <= maxStep * (1 + 1e-12), largest[0] + " > " + maxStep);
    }

    @Property(tries = 50)
    void stepBudgetIsExact(@ForAll("builtIn") String name, @ForAll @LongRange(min = 1, max = 3000) long budget) {
        IntegrationResult r = Integrators.create(name, StepSettings.fixed(0.01)).integrate(
                new TestSystems.Decay(3, 1.0), 0.0, new double[] {1, 2, 3}, StopRules.stepBudget(budget));
        assertEquals(budget, r.steps());
        assertEquals("step-budget", r.termination().rule());
    }

    /** rk4 integrates a quadratic in t exactly, so y is a cubic and Hermite reproduces it. */
    @Property(tries = 100)
    void hermiteInterpolationIsExactForCubics(@ForAll @DoubleRange(min = -2, max = 2) double a,
                                             @ForAll @DoubleRange(min = -2, max = 2) double b,
                                             @ForAll @DoubleRange(min = -2, max = 2) double c,
                                             @ForAll @DoubleRange(min = 0, max = 1) double theta,
                                             @ForAll @DoubleRange(min = 0.01, max = 0.5) double h) {
        OdeSystem cubic = new OdeSystem() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivative(double t, double[] y, double[] yDot) {
                yDot[0] = 3 * a * t * t + 2 * b * t + c;
            }
        };
        double[] out = new double[1];
        Integrators.create("rk4", StepSettings.fixed(h)).integrate(cubic, 0.0, new double[] {0.0},
                StopRules.finalTime(2.0), s -> {
                    double time = s.previousT() + theta * s.stepSize();
                    s.interpolate(time, out);
                    double exact = ((a * time + b) * time + c) * time;
                    assertEquals(exact, out[0], 1e-12);
                });
    }

    @Property(tries = 100)
    void derivativeNormStopMeetsItsTolerance(@ForAll("builtIn") String name,
                                             @ForAll @DoubleRange(min = 0.1, max = 10) double rate,
                                             @ForAll @DoubleRange(min = -8, max = -2) double log10Atol) {
        double atol = Math.pow(10, log10Atol);
        double h = Math.min(0.1, 1.0 / rate);
        StepSettings settings = "bs3".equals(name) || "dopri5".equals(name)
                ? StepSettings.tolerances(1e-6, 1e-9).withMaxStep(h) : StepSettings.fixed(h);
        double[] y = {1.0, -2.0};
        double[] lastNorm = {Double.NaN};
        IntegrationResult r = Integrators.create(name, settings).integrate(new TestSystems.Decay(2, rate), 0.0, y,
                StopRules.anyOf(StopRules.derivativeNorm(atol, 0.0, null), StopRules.stepBudget(1_000_000)),
                s -> lastNorm[0] = Math.hypot(s.yDot()[0], s.yDot()[1]));
        assertEquals("derivative-norm", r.termination().rule());
        assertTrue(lastNorm[0] <= atol);
        // The caller's state is the final one, and yDot = -rate y there.
        assertEquals(lastNorm[0], rate * Math.hypot(y[0], y[1]), 1e-12 * rate);
    }
}
