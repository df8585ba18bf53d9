package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderTest {

    /**
     * A decaying rotation beside a forced decay {@code y' = -y + sin 3t}. The forcing makes the
     * field depend on t, so methods with the same stability polynomial (midpoint and Heun agree on
     * every autonomous linear system) still give different answers there.
     */
    private static final TestSystems.ForcedDecay FORCED = new TestSystems.ForcedDecay(3.0);
    private static final OdeSystem SYSTEM = new OdeSystem() {
        private final TestSystems.RotationDecay rotation = new TestSystems.RotationDecay(0.5, 2.0);

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            rotation.derivative(t, y, yDot);
            yDot[2] = -y[2] + Math.sin(FORCED.omega * t);
        }
    };
    private static final double[] Y0 = {1.0, 0.5, 0.25};
    private static final double T = 2.0;

    private static double[] solve(String name, double h) {
        Integrator integrator = Integrators.create(name, StepSettings.fixed(h));
        double[] y = Y0.clone();
        IntegrationResult r = integrator.integrate(SYSTEM, 0.0, y, StopRules.finalTime(T));
        assertEquals(T, r.t());
        assertEquals(Math.round(T / h), r.steps(), "fixed steps of h reach T in T/h steps");
        return y;
    }

    /** Errors of the rotation part and of the forced part at T. */
    private static double[] errorsAt(String name, double h) {
        double[] y = solve(name, h);
        double[] rot = new TestSystems.RotationDecay(0.5, 2.0).exact(T, Y0);
        double rotation = Math.hypot(y[0] - rot[0], y[1] - rot[1]);
        double forced = Math.abs(y[2] - FORCED.exact(T, Y0[2]));
        return new double[] {rotation, forced};
    }

    /** Created by name, so a name that silently ran another method would show the wrong order. */
    @ParameterizedTest(name = "{0} has order {1}")
    @CsvSource({"euler, 1, 0.02", "midpoint, 2, 0.05", "heun, 2, 0.05", "rk4, 4, 0.1",
        "bs3, 3, 0.1", "dopri5, 5, 0.2"})
    void everyMethodShowsItsTheoreticalOrder(String name, int order, double h) {
        double[] e1 = errorsAt(name, h);
        double[] e2 = errorsAt(name, h / 2);
        double[] e4 = errorsAt(name, h / 4);
        String[] parts = {"rotation", "forced decay"};
        for (int c = 0; c < 2; c++) {
            double p1 = Math.log(e1[c] / e2[c]) / Math.log(2);
            double p2 = Math.log(e2[c] / e4[c]) / Math.log(2);
            System.out.printf("%s %s: errors %.3e %.3e %.3e, observed orders %.3f %.3f%n", name, parts[c],
                    e1[c], e2[c], e4[c], p1, p2);
            assertEquals(order, p2, 0.2, name + " observed order on h/2 -> h/4, " + parts[c]);
            assertEquals(order, p1, 0.3, name + " observed order on h -> h/2, " + parts[c]);
        }
        assertEquals(order, Integrators.create(name, StepSettings.fixed(h)).order());
    }

    @Test
    void midpointAndHeunAreDifferentMethods() {
        assertNotEquals(solve("midpoint", 0.1)[2], solve("heun", 0.1)[2], 1e-6);
    }
}
