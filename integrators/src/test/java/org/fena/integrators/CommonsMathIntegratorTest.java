package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommonsMathIntegratorTest {

    private static final StepSettings SETTINGS = new StepSettings(0.01, 1e-9, 1e-12, 0.0,
            Double.POSITIVE_INFINITY, true);

    @ParameterizedTest
    @ValueSource(strings = {"cm-dopri853", "cm-gbs", "cm-adams-bashforth", "cm-adams-moulton", "cm-rk4",
        "cm-dopri54"})
    void eachAdapterIntegratesDecayAccurately(String name) {
        Integrator integrator = Integrators.create(name, SETTINGS);
        assertInstanceOf(CommonsMathIntegrator.class, integrator);
        assertEquals(name, integrator.name());
        double[] y = {1.0, 2.0};
        double[] seenStart = {Double.NaN};
        double[] lastT = {Double.NaN};
        long[] observed = {0};
        StepObserver counter = new StepObserver() {
            @Override
            public void start(StepState s) {
                seenStart[0] = s.t();
                lastT[0] = s.t();
            }

            @Override
            public void step(StepState s) {
                observed[0]++;
                assertTrue(s.t() > s.previousT());
                // Steps tile the interval: nothing (e.g. a multistep start-up) goes unobserved.
                assertEquals(lastT[0], s.previousT(), 1e-12, name + " step " + observed[0]);
                lastT[0] = s.t();
            }
        };
        IntegrationResult r = integrator.integrate(new TestSystems.Decay(2, 1.0), 0.0, y,
                StopRules.finalTime(3.0), counter);
        assertEquals(3.0, r.t(), 1e-12);
        assertEquals(Math.exp(-3.0), y[0], 1e-7, name);
        assertEquals(2 * Math.exp(-3.0), y[1], 2e-7, name);
        assertEquals("final-time", r.termination().rule());
        assertTrue(r.steps() > 0 && r.rhsEvaluations() > r.steps(), r.toString());
        assertEquals(observed[0], r.steps());
        assertEquals(0.0, seenStart[0]);
        assertEquals(!"cm-rk4".equals(name), integrator.isAdaptive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cm-dopri853", "cm-rk4"})
    void stopRulesWorkThroughTheAdapter(String name) {
        double[] y = {1.0};
        IntegrationResult r = Integrators.create(name, SETTINGS).integrate(new TestSystems.Decay(1, 1.0), 0.0, y,
                StopRules.derivativeNorm(1e-4, 0.0, null));
        assertEquals("derivative-norm", r.termination().rule());
        assertTrue(r.termination().converged());
        // The final state is handed back even though the run was cut short.
        assertTrue(Math.abs(y[0]) <= 1e-4 * (1 + 1e-6), "|yDot| = |y| = " + y[0]);
        assertEquals(Math.exp(-r.t()), y[0], 1e-7);

        double[] z = {1.0};
        IntegrationResult budget = Integrators.create(name, SETTINGS).integrate(new TestSystems.Decay(1, 1.0), 0.0, z,
                StopRules.stepBudget(7));
        assertEquals(7, budget.steps());
        assertEquals(Math.exp(-budget.t()), z[0], 1e-7);
    }

    @Test
    void commonsMathFailureBecomesIntegrationException() {
        StepSettings strict = new StepSettings(0.1, 1e-12, 1e-14, 0.05, 1.0, true);
        IntegrationException ex = assertThrows(IntegrationException.class, () ->
                Integrators.create("cm-dopri54", strict).integrate(new TestSystems.Decay(1, 100.0), 0.0,
                        new double[] {1.0}, StopRules.finalTime(1.0)));
        assertTrue(ex.getMessage().contains("cm-dopri54") && ex.getMessage().contains("t = "), ex.getMessage());
    }

    @Test
    void divergenceThroughTheAdapterIsReported() {
        OdeSystem blowUp = new OdeSystem() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void derivative(double t, double[] y, double[] yDot) {
                yDot[0] = y[0] * y[0];
            }
        };
        assertThrows(DivergenceException.class, () -> Integrators.create("cm-rk4", StepSettings.fixed(0.5))
                .integrate(blowUp, 0.0, new double[] {1.0}, StopRules.finalTime(100)));
    }
}
