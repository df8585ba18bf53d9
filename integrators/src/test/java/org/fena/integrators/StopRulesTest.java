package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StopRulesTest {

    private static final OdeSystem DECAY = new TestSystems.Decay(1, 1.0);

    @ParameterizedTest
    @ValueSource(strings = {"euler", "midpoint", "heun", "rk4", "bs3", "dopri5"})
    void finalTimeLandsExactlyOnTheEnd(String name) {
        StepSettings settings = name.startsWith("bs3") || name.startsWith("dopri5")
                ? StepSettings.tolerances(1e-6, 1e-9) : StepSettings.fixed(0.3);
        double tEnd = 1.0 / 3.0 + 2.0;
        double[] lastObserved = {Double.NaN};
        IntegrationResult r = Integrators.create(name, settings).integrate(DECAY, 1.0 / 3.0, new double[] {1.0},
                StopRules.finalTime(tEnd), s -> lastObserved[0] = s.t());
        assertEquals(tEnd, r.t(), 0.0);
        assertEquals(tEnd, lastObserved[0], 0.0);
        assertEquals("final-time", r.termination().rule());
        assertFalse(r.termination().converged());
    }

    @ParameterizedTest
    @ValueSource(strings = {"euler", "rk4", "dopri5"})
    void derivativeNormStopsWhenTheRateOfChangeIsSmall(String name) {
        StepSettings settings = "dopri5".equals(name) ? StepSettings.tolerances(1e-8, 1e-10) : StepSettings.fixed(0.01);
        double[] y = {2.0, -1.0};
        double[] w = {1.0, 3.0};
        double atol = 1e-6;
        double rtol = 1e-3;
        double norm0 = Math.hypot(w[0] * 2.0, w[1] * 1.0);
        double[] finalNorm = {Double.NaN};
        StepObserver observer = new StepObserver() {
            @Override
            public void step(StepState s) {
            }

            @Override
            public void finish(StepState s, Termination t) {
                finalNorm[0] = Math.hypot(w[0] * s.yDot()[0], w[1] * s.yDot()[1]);
            }
        };
        IntegrationResult r = Integrators.create(name, settings).integrate(new TestSystems.Decay(2, 1.0), 0.0, y,
                StopRules.derivativeNorm(atol, rtol, w), observer);
        double tol = atol + rtol * norm0;
        assertEquals("derivative-norm", r.termination().rule());
        assertTrue(r.termination().converged());
        assertTrue(finalNorm[0] <= tol, finalNorm[0] + " > " + tol);
        // It stops on the first step that meets the tolerance, not much later.
        assertTrue(finalNorm[0] > 0.5 * tol, finalNorm[0] + " far below " + tol);
        assertTrue(r.termination().detail().contains(r.steps() + " steps"), r.termination().detail());
        System.out.println(name + ": " + r.termination().detail());
    }

    @Test
    void stepBudgetEndsAfterExactlyThatManySteps() {
        IntegrationResult r = Integrators.create("rk4", StepSettings.fixed(0.1)).integrate(DECAY, 0.0,
                new double[] {1.0}, StopRules.stepBudget(37));
        assertEquals(37, r.steps());
        assertEquals(3.7, r.t(), 1e-12);
        assertEquals("step-budget", r.termination().rule());
        assertFalse(r.termination().converged());
    }

    @Test
    void changeRuleStopsWhenTheMonitoredValueSettles() {
        // Monitor the "energy" y^2 / 2 of a decay: it settles to 0.
        ScalarMonitor energy = s -> 0.5 * s.y()[0] * s.y()[0];
        double[] history = new double[5000];
        int[] count = {0};
        IntegrationResult r = Integrators.create("rk4", StepSettings.fixed(0.05)).integrate(DECAY, 0.0,
                new double[] {1.0}, StopRules.anyOf(StopRules.change(energy, 1e-8, 0.0, 5), StopRules.stepBudget(5000)),
                s -> history[count[0]++] = energy.value(s));
        assertEquals("change", r.termination().rule());
        assertTrue(r.termination().converged());
        int n = count[0];
        for (int i = n - 5; i < n; i++) {
            double previous = i == 0 ? 0.5 : history[i - 1];
            assertTrue(Math.abs(history[i] - previous) <= 1e-8, "last 5 changes are within atol");
        }
        assertTrue(Math.abs(history[n - 6] - history[n - 7]) > 1e-8, "and it stops at the first such window");
    }

    @Test
    void anyOfUsesTheEarliestHorizonAndTheFirstRuleThatFires() {
        StopRule rule = StopRules.anyOf(StopRules.stepBudget(1000), StopRules.finalTime(2.0), StopRules.finalTime(5.0));
        assertEquals(2.0, rule.horizon());
        IntegrationResult r = Integrators.create("heun", StepSettings.fixed(0.1)).integrate(DECAY, 0.0,
                new double[] {1.0}, rule);
        assertEquals(2.0, r.t(), 0.0);
        assertEquals("final-time", r.termination().rule());

        IntegrationResult tie = Integrators.create("heun", StepSettings.fixed(0.1)).integrate(DECAY, 0.0,
                new double[] {1.0}, StopRules.anyOf(StopRules.stepBudget(20), StopRules.finalTime(2.0)));
        assertEquals("step-budget", tie.termination().rule());
    }

    @Test
    void runStartingAtTheHorizonTakesNoStep() {
        double[] y = {1.0};
        IntegrationResult r = Integrators.create("rk4", StepSettings.fixed(0.1)).integrate(DECAY, 3.0, y,
                StopRules.finalTime(3.0));
        assertEquals(0, r.steps());
        assertEquals("final-time", r.termination().rule());
        assertEquals(1.0, y[0]);
    }

    @Test
    void horizonBeforeStartIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Integrators.create("rk4", StepSettings.fixed(0.1))
                .integrate(DECAY, 3.0, new double[] {1.0}, StopRules.finalTime(2.0)));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StopRules.stepBudget(0));
        assertThrows(IllegalArgumentException.class, () -> StopRules.derivativeNorm(0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> StopRules.change(s -> 0, 1e-6, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> StopRules.anyOf());
        assertThrows(IllegalArgumentException.class, () -> Integrators.create("rk4", StepSettings.fixed(0.1))
                .integrate(DECAY, 0.0, new double[] {1.0}, StopRules.derivativeNorm(1e-6, 0, new double[] {1, 2})));
    }
}
