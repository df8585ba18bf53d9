package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise of {@link Integrator}: when observers and stop rules see a step, the vector field
 * was last evaluated at exactly that step's (t, y), so it may cache by-products of it.
 */
class ContractTest {

    /** Stiff-ish and forced, so that adaptive runs reject steps. */
    private static final OdeSystem SYSTEM = new OdeSystem() {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            yDot[0] = -40.0 * (y[0] - Math.cos(t));
            yDot[1] = y[0] - 0.5 * y[1];
        }
    };

    static Stream<Arguments> methods() {
        StepSettings fixed = StepSettings.fixed(0.01);
        return Stream.of(
                Arguments.of("euler", fixed),
                Arguments.of("midpoint", fixed),
                Arguments.of("heun", fixed),
                Arguments.of("rk4", fixed),
                Arguments.of("bs3", fixed),
                Arguments.of("dopri5", fixed),
                Arguments.of("bs3", StepSettings.tolerances(1e-6, 1e-9)),
                Arguments.of("dopri5", StepSettings.tolerances(1e-6, 1e-9)),
                Arguments.of("bs3", StepSettings.tolerances(1e-6, 1e-9).withStep(1.0)),
                Arguments.of("dopri5", StepSettings.tolerances(1e-8, 1e-10).withStep(1.0)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("methods")
    void lastDerivativeCallIsAtTheObservedState(String name, StepSettings settings) {
        TestSystems.Recording system = new TestSystems.Recording(SYSTEM);
        long[] checks = {0};
        StepObserver observer = new StepObserver() {
            @Override
            public void start(StepState s) {
                assertLastCallAt(system, s);
                checks[0]++;
            }

            @Override
            public void step(StepState s) {
                assertLastCallAt(system, s);
                checks[0]++;
            }

            @Override
            public void finish(StepState s, Termination t) {
                assertLastCallAt(system, s);
            }
        };
        StopRule finalTime = StopRules.finalTime(3.0);
        StopRule checking = new StopRule() {
            @Override
            public void start(StepState s) {
                assertLastCallAt(system, s);
            }

            @Override
            public Termination check(StepState s) {
                assertLastCallAt(system, s);
                return finalTime.check(s);
            }

            @Override
            public double horizon() {
                return finalTime.horizon();
            }
        };
        double[] y = {0.0, 1.0};
        IntegrationResult r = Integrators.create(name, settings).integrate(system, 0.0, y, checking, observer);
        assertEquals(r.steps() + 1, checks[0]);
        assertEquals(system.calls, r.rhsEvaluations());
        if (settings.step() == 1.0) {
            assertTrue(r.rejectedSteps() > 0, "the rejection path is covered");
        }
    }

    private static void assertLastCallAt(TestSystems.Recording system, StepState s) {
        assertEquals(s.t(), system.lastT, 0.0, "time of the last evaluation at step " + s.steps());
        assertArrayEquals(s.y(), system.lastY, 0.0, "state of the last evaluation at step " + s.steps());
        double[] f = new double[s.y().length];
        SYSTEM.derivative(s.t(), s.y(), f);
        assertArrayEquals(f, s.yDot(), 0.0, "yDot is f(t, y)");
    }
}
