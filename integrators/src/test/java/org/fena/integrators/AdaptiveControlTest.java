package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AdaptiveControlTest {

    private static final TestSystems.RotationDecay ROTATION = new TestSystems.RotationDecay(0.3, 2.0);
    private static final double[] Y0 = {1.0, 0.5};

    @ParameterizedTest(name = "{0} at rtol {1}")
    @CsvSource({"bs3, 1e-4", "bs3, 1e-6", "bs3, 1e-8", "dopri5, 1e-4", "dopri5, 1e-6", "dopri5, 1e-8"})
    void adaptiveMethodsMeetTheirTolerance(String name, double rtol) {
        Integrator integrator = Integrators.create(name, StepSettings.tolerances(rtol, rtol));
        assertTrue(integrator.isAdaptive());
        double[] y = Y0.clone();
        double tEnd = 5.0;
        IntegrationResult r = integrator.integrate(ROTATION, 0.0, y, StopRules.finalTime(tEnd));
        double err = TestSystems.maxAbsDiff(y, ROTATION.exact(tEnd, Y0));
        System.out.printf("%s rtol %.0e: error %.3e in %d steps (%d rejected, %d evaluations)%n",
                name, rtol, err, r.steps(), r.rejectedSteps(), r.rhsEvaluations());
        assertEquals(tEnd, r.t());
        assertTrue(err <= 20 * rtol, "global error " + err + " should be within 20x of tolerance " + rtol);
        // Not absurdly over-resolved either: the controller uses what the tolerance allows.
        assertTrue(err >= 1e-4 * rtol, "global error " + err + " suspiciously far below " + rtol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bs3", "dopri5"})
    void tighterToleranceCostsMoreStepsAndGivesSmallerError(String name) {
        double previousErr = Double.POSITIVE_INFINITY;
        long previousSteps = 0;
        for (double tol : new double[] {1e-3, 1e-5, 1e-7, 1e-9}) {
            double[] y = Y0.clone();
            IntegrationResult r = Integrators.create(name, StepSettings.tolerances(tol, tol))
                    .integrate(ROTATION, 0.0, y, StopRules.finalTime(3.0));
            double err = TestSystems.maxAbsDiff(y, ROTATION.exact(3.0, Y0));
            assertTrue(err < previousErr, name + " at " + tol);
            assertTrue(r.steps() > previousSteps, name + " at " + tol);
            previousErr = err;
            previousSteps = r.steps();
        }
    }

    /** A fast transient towards a slow manifold: a first step of 1 is far too long. */
    private static final OdeSystem FAST_TRANSIENT = new OdeSystem() {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            yDot[0] = -50.0 * (y[0] - Math.cos(t));
        }
    };

    @ParameterizedTest
    @CsvSource({"bs3, 4", "dopri5, 7"})
    void rejectedStepsAreCountedAndEveryEvaluationIsCounted(String name, int stages) {
        Integrator integrator = Integrators.create(name, StepSettings.tolerances(1e-6, 1e-9).withStep(1.0));
        TestSystems.Recording system = new TestSystems.Recording(FAST_TRANSIENT);
        double[] y = {0.0};
        IntegrationResult r = integrator.integrate(system, 0.0, y, StopRules.finalTime(2.0));
        assertTrue(r.rejectedSteps() > 0, "a first step of 1 on a rate-50 transient must be rejected");
        // FSAL: one evaluation at t0, then stages - 1 per attempt, accepted or not.
        assertEquals(1 + (stages - 1) * (r.steps() + r.rejectedSteps()), r.rhsEvaluations());
        assertEquals(system.calls, r.rhsEvaluations());
        // Past the transient the solution is (2500 cos t + 50 sin t) / 2501.
        assertEquals((2500 * Math.cos(2.0) + 50 * Math.sin(2.0)) / 2501, y[0], 1e-5);
    }

    @Test
    void startingStepIsChosenWhenNoneIsGiven() {
        TestSystems.Recording system = new TestSystems.Recording(ROTATION);
        double[] y = Y0.clone();
        IntegrationResult r = Integrators.create("dopri5", StepSettings.tolerances(1e-6, 1e-9))
                .integrate(system, 0.0, y, StopRules.finalTime(1.0));
        // One probe evaluation for Hairer's starting step on top of the FSAL count.
        assertEquals(2 + 6 * (r.steps() + r.rejectedSteps()), r.rhsEvaluations());
        assertEquals(system.calls, r.rhsEvaluations());
        assertTrue(TestSystems.maxAbsDiff(y, ROTATION.exact(1.0, Y0)) < 1e-5);
    }

    @ParameterizedTest
    @CsvSource({"euler, 1", "midpoint, 2", "heun, 2", "rk4, 4", "bs3, 3", "dopri5, 6"})
    void fixedStepEvaluationCountIsStagesPerStep(String name, int perStep) {
        TestSystems.Recording system = new TestSystems.Recording(ROTATION);
        IntegrationResult r = Integrators.create(name, StepSettings.fixed(0.01))
                .integrate(system, 0.0, Y0.clone(), StopRules.finalTime(1.0));
        assertEquals(100, r.steps());
        assertEquals(0, r.rejectedSteps());
        assertEquals(1 + perStep * 100, r.rhsEvaluations());
        assertEquals(system.calls, r.rhsEvaluations());
    }

    @Test
    void maxStepIsHonoured() {
        double[] largest = {0};
        StepObserver widest = s -> largest[0] = Math.max(largest[0], s.stepSize());
        Integrators.create("dopri5", StepSettings.tolerances(1e-3, 1e-3).withMaxStep(0.05))
                .integrate(new TestSystems.Decay(1, 0.1), 0.0, new double[] {1}, StopRules.finalTime(10), widest);
        assertTrue(largest[0] <= 0.05 * (1 + 1e-12), "largest step " + largest[0]);
        assertTrue(largest[0] > 0.04, "the slow decay should push against maxStep, got " + largest[0]);
    }

    @Test
    void stepBelowMinStepNamesTimeAndStep() {
        StepSettings s = new StepSettings(0.1, 1e-10, 1e-12, 1e-2, Double.POSITIVE_INFINITY, true);
        IntegrationException ex = assertThrows(IntegrationException.class, () ->
                Integrators.create("bs3", s).integrate(FAST_TRANSIENT, 0.0, new double[] {0}, StopRules.finalTime(1)));
        assertFalse(ex instanceof DivergenceException);
        assertTrue(ex.getMessage().contains("t = ") && ex.getMessage().contains("h = "), ex.getMessage());
        assertTrue(ex.getMessage().contains("minStep"), ex.getMessage());
    }

    @Test
    void embeddedMethodRunsAtFixedStepWhenNotAdaptive() {
        Integrator fixed = Integrators.create("dopri5", StepSettings.fixed(0.25));
        assertFalse(fixed.isAdaptive());
        IntegrationResult r = fixed.integrate(ROTATION, 0.0, Y0.clone(), StopRules.finalTime(1.0));
        assertEquals(4, r.steps());
        assertEquals(0, r.rejectedSteps());
    }

    @Test
    void fixedStepMethodWithoutStepIsRefused() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Integrators.create("rk4", StepSettings.tolerances(1e-6, 1e-9)));
        assertTrue(ex.getMessage().contains("rk4"), ex.getMessage());
    }
}
