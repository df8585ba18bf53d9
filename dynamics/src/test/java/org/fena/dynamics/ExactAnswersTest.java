package org.fena.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fena.hierarchy.Activations;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precisions;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;
import org.junit.jupiter.api.Test;

/** Settles with answers known in closed form. */
class ExactAnswersTest {

    /**
     * Two scalar layers, x0 clamped to d, x1 free with prior N(m, 1/pi1): E = pi0/2 (d - w x1)^2 +
     * pi1/2 (x1 - m)^2, so x1* = (pi0 w d + pi1 m) / (pi0 w^2 + pi1) and the flow is linear with rate
     * k = (pi0 w^2 + pi1) / tau: x1(t) = x1* + (x1(0) - x1*) e^{-k t}.
     */
    @Test
    void scalarLinearHierarchyFollowsItsExponentialRelaxation() {
        double w = 1.5;
        double d = 0.8;
        double m = -0.2;
        double pi0 = 2.0;
        double pi1 = 0.5;
        double tau = 3.0;
        Hierarchy h = Hierarchy.builder().layer(1, 1.0).layer(1, tau).precision(0, Precisions.scalar(1, pi0))
                .weights(0, new double[] {w}).prior(new double[] {m}, Precisions.scalar(1, pi1)).build();
        double xStar = (pi0 * w * d + pi1 * m) / (pi0 * w * w + pi1);
        double k = (pi0 * w * w + pi1) / tau;
        SettleResult r = Settler.builder(h).clamp(0, new double[] {d})
                .integrator(Integrators.create("dopri5", StepSettings.tolerances(1e-12, 1e-14)))
                .stop(StopCriteria.finalTime(2.0)).build().run();
        assertEquals(xStar * (1 - Math.exp(-k * 2.0)), r.finalState(1)[0], 1e-10);
        double eStar = 0.5 * pi0 * Math.pow(d - w * xStar, 2) + 0.5 * pi1 * Math.pow(xStar - m, 2);
        SettleResult full = Settler.builder(h).clamp(0, new double[] {d})
                .integrator(Integrators.create("rk4", StepSettings.fixed(0.05)))
                .stop(StopCriteria.gradient(1e-12, 1e4, 1_000_000)).build().run();
        assertTrue(full.converged());
        assertEquals(xStar, full.finalState(1)[0], 1e-11);
        assertEquals(eStar, full.energyFinal(), 1e-12);
        assertEquals(0.5 * pi0 * d * d + 0.5 * pi1 * m * m, full.energyInitial(), 1e-15);
    }

    @Test
    void topDownInitialStateIsThePredictionOfTheLayerAbove() {
        Hierarchy h = Hierarchy.builder().layer(2, 1).layer(1, 1).activation(0, Activations.TANH)
                .weights(0, new double[] {0.5, -2.0}).prior(new double[] {0.7}, Precisions.scalar(1, 1)).build();
        Settler s = Settler.builder(h).initial(InitialState.topDown())
                .integrator(Integrators.create("euler", StepSettings.fixed(0.1))).stop(StopCriteria.steps(1)).build();
        EnergyWorkspace ws = s.newWorkspace();
        double[] y = s.initialState(ws);
        assertEquals(Math.tanh(0.35), y[ws.freeOffset(0)], 1e-15);
        assertEquals(Math.tanh(-1.4), y[ws.freeOffset(0) + 1], 1e-15);
        assertEquals(0.7, y[ws.freeOffset(1)], 0.0);
        // generation: the top's prior mean predicts the bottom exactly, so nothing moves
        SettleResult r = s.run();
        assertEquals(0.0, r.energyInitial(), 1e-30);
    }

    /**
     * Why the step-bound property is stated for smooth activations: with relu the gradient jumps at a
     * kink, and an Euler step below 2 tau / lambda_max(H) of both sides can still raise the energy.
     * x0 clamped to d = -1, weight 1, prior mean 0: E(x1) = 1/2 (1 + relu(x1))^2 + 1/2 x1^2, whose
     * curvature is 2 right of the kink and 1 left of it (bound h < 1), and whose minimum is the kink.
     */
    @Test
    void eulerCanRaiseTheEnergyAcrossAReluKink() {
        Hierarchy h = Hierarchy.builder().layer(1, 1).layer(1, 1).activation(0, Activations.RELU)
                .weights(0, new double[] {1.0}).prior(new double[] {0.0}, Precisions.scalar(1, 1)).build();
        EnergyWorkspace ws = new EnergyWorkspace(h, 1, new boolean[] {true, false});
        ws.setClamped(0, new double[] {-1.0});
        double[] x = {0.01};
        double[] v = new double[1];
        double e0 = ws.flow(x, v, null);
        x[0] += 0.9 * v[0];
        double e1 = ws.energy(x, null);
        assertTrue(x[0] < 0, "the step crossed the kink");
        assertTrue(e1 > e0, "energy rose from " + e0 + " to " + e1 + " at h = 0.9 < 2 tau / lambda_max = 1");
    }

    @Test
    void adamsMultistepMethodsReachTheClosedFormMinimum() {
        Hierarchy h = Hierarchy.builder().layer(3, 1.0).layer(2, 2.0)
                .weights(0, new double[] {1.0, 0.2, -0.3, 0.8, 0.5, 0.5}).bias(0, new double[] {0.1, 0, -0.1})
                .prior(new double[] {0.2, -0.1}, Precisions.scalar(2, 0.5)).build();
        double[] d = {0.9, -0.3, 0.4};
        // E = 1/2 |d - W x - b|^2 + 1/4 |x - m|^2  =>  (W'W + I/2) x = W'(d - b) + m/2
        org.ejml.data.DMatrixRMaj w = new org.ejml.data.DMatrixRMaj(3, 2, true, 1.0, 0.2, -0.3, 0.8, 0.5, 0.5);
        org.ejml.data.DMatrixRMaj a = new org.ejml.data.DMatrixRMaj(2, 2);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(w, w, a);
        a.add(0, 0, 0.5);
        a.add(1, 1, 0.5);
        org.ejml.data.DMatrixRMaj rhs = new org.ejml.data.DMatrixRMaj(2, 1);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(w, new org.ejml.data.DMatrixRMaj(3, 1, true, 0.8, -0.3, 0.5), rhs);
        rhs.add(0, 0, 0.1);
        rhs.add(1, 0, -0.05);
        org.ejml.data.DMatrixRMaj x = new org.ejml.data.DMatrixRMaj(2, 1);
        assertTrue(org.ejml.dense.row.CommonOps_DDRM.solve(a, rhs, x));
        for (String method : java.util.List.of("cm-adams-bashforth", "cm-adams-moulton")) {
            SettleResult r = Settler.builder(h).clamp(0, d)
                    .integrator(Integrators.create(method, StepSettings.tolerances(1e-10, 1e-13).withMaxStep(0.05)))
                    .stop(StopCriteria.gradient(1e-9, 1e5, 1_000_000)).build().run();
            assertTrue(r.converged(), method + ": " + r.stopDetail());
            assertEquals(x.get(0), r.finalState(1)[0], 1e-8, method);
            assertEquals(x.get(1), r.finalState(1)[1], 1e-8, method);
        }
    }
}
