package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DivergenceTest {

    /** {@code y' = y^2} from {@code y(0) = 1}: the solution {@code 1/(1-t)} blows up at t = 1. */
    private static final OdeSystem BLOW_UP = new OdeSystem() {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            yDot[0] = 0.0;
            yDot[1] = y[1] * y[1];
        }
    };

    @Test
    void blowUpIsReportedWithStepAndTime() {
        long[] observedSteps = {0};
        boolean[] finished = {false};
        StepObserver observer = new StepObserver() {
            @Override
            public void step(StepState s) {
                observedSteps[0] = s.steps();
                assertTrue(Double.isFinite(s.y()[1]), "observers never see a non-finite state");
            }

            @Override
            public void finish(StepState s, Termination t) {
                finished[0] = true;
            }
        };
        DivergenceException ex = assertThrows(DivergenceException.class, () ->
                Integrators.create("euler", StepSettings.fixed(0.25)).integrate(BLOW_UP, 0.0,
                        new double[] {0.0, 1.0}, StopRules.finalTime(100.0), observer));
        assertEquals(1, ex.component());
        assertEquals(observedSteps[0] + 1, ex.step());
        assertEquals(0.25 * ex.step(), ex.time(), 1e-12);
        assertTrue(ex.getMessage().contains("step " + ex.step()), ex.getMessage());
        assertTrue(ex.getMessage().contains("t = "), ex.getMessage());
        assertTrue(ex.getMessage().contains("component 1"), ex.getMessage());
        assertFalse(finished[0], "finish is not called on divergence");
        System.out.println(ex.getMessage());
    }

    @Test
    void adaptiveMethodShrinksTowardsTheSingularityThenGivesUp() {
        IntegrationException ex = assertThrows(IntegrationException.class, () ->
                Integrators.create("dopri5", new StepSettings(0.1, 1e-6, 1e-9, 1e-10, Double.POSITIVE_INFINITY, true))
                        .integrate(BLOW_UP, 0.0, new double[] {0.0, 1.0}, StopRules.finalTime(2.0)));
        assertInstanceOf(IntegrationException.class, ex);
        assertTrue(ex.getMessage().contains("t = 0.99") || ex.getMessage().contains("t = 1.0"), ex.getMessage());
        System.out.println(ex.getMessage());
    }
}
