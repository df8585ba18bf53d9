package org.fena.hierarchy.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpdateRuleTest {

    @Test
    void sgdStepsAlongTheDirection() {
        double[] theta = {1, 2};
        UpdateRule.sgd().newState(2).apply(theta, new double[] {0.5, -1}, 0.1);
        assertArrayEquals(new double[] {1.05, 1.9}, theta, 1e-15);
    }

    @Test
    void adamsFirstStepHasTheLearningRateTimesTheSignOfTheDirection() {
        // after bias correction m_hat = g, v_hat = g^2: the step is eta g / (|g| + eps)
        double[] theta = {0, 0};
        UpdateRule.adam().newState(2).apply(theta, new double[] {3, -0.01}, 0.01);
        assertEquals(0.01, theta[0], 1e-9);
        assertEquals(-0.01, theta[1], 1e-8);
    }

    @Test
    void adamMinimisesAQuadraticLocally() {
        double[] theta = {5, -3};
        UpdateRule.State s = UpdateRule.adam().newState(2);
        double[] g = new double[2];
        for (int t = 0; t < 3000; t++) {
            g[0] = -theta[0];
            g[1] = -4 * theta[1];
            s.apply(theta, g, 0.01);
        }
        assertEquals(0, theta[0], 1e-2);
        assertEquals(0, theta[1], 1e-2);
    }
}
