package org.fena.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fena.dynamics.stability.Feedback;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precisions;
import org.fena.hierarchy.WeightInit;
import org.fena.integrators.Integrators;
import org.fena.integrators.StepSettings;
import org.junit.jupiter.api.Test;

/** Settling honours the feedback choice: transpose is the gradient flow, random feedback is not. */
class FeedbackSettleTest {

    private static Hierarchy hierarchy() {
        return Hierarchy.builder().layer(5, 1).layer(4, 2).layer(3, 1).activation(0, Activations.TANH)
                .activation(1, Activations.TANH).weightInit(WeightInit.xavierUniform(), 11)
                .prior(new double[3], Precisions.scalar(3, 0.5)).build();
    }

    private static SettleResult settle(Feedback f) {
        Hierarchy h = hierarchy();
        return Settler.builder(h).clamp(0, new double[] {0.5, -0.3, 0.2, 0.9, -0.6}).feedback(f)
                .integrator(Integrators.create("dopri5", StepSettings.tolerances(1e-10, 1e-12)))
                .stop(StopCriteria.gradient(1e-9, 1e3, 100_000)).build().run();
    }

    @Test
    void transposeFeedbackSettlesExactlyLikeTheDefaultGradientFlow() {
        SettleResult plain = settle(null);
        SettleResult transpose = settle(Feedback.transpose());
        assertArrayEquals(plain.finalState(1), transpose.finalState(1), 0.0);
        assertEquals(plain.steps(), transpose.steps());
    }

    @Test
    void randomFeedbackComesToRestWhereTheEnergyGradientIsNotZero() {
        Hierarchy h = hierarchy();
        Settler s = Settler.builder(h).clamp(0, new double[] {0.5, -0.3, 0.2, 0.9, -0.6})
                .feedback(Feedback.of(Feedback.Kind.RANDOM, h, 1.0, 1.0, 5))
                .integrator(Integrators.create("dopri5", StepSettings.tolerances(1e-10, 1e-12)))
                .stop(StopCriteria.gradient(1e-9, 1e3, 100_000)).build();
        SettleResult random = s.run();
        assertTrue(random.converged(), random.stopDetail());
        org.fena.hierarchy.EnergyWorkspace ws = s.newWorkspace();
        double[] x = new double[ws.freeDimension()];
        for (int l = 1; l < h.layers(); l++) {
            System.arraycopy(random.finalState(l), 0, x, ws.freeOffset(l), random.finalState(l).length);
        }
        double[] g = new double[x.length];
        ws.gradient(x, g, null);
        double norm = 0;
        for (double v : g) {
            norm += v * v;
        }
        assertTrue(Math.sqrt(norm) > 1e-3, "at rest under random feedback, |dE/dx| = " + Math.sqrt(norm));
        assertNotEquals(settle(null).finalState(1)[0], random.finalState(1)[0]);
    }
}
