package org.fena.hierarchy.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.fena.hierarchy.Precision;
import org.fena.hierarchy.Precisions;
import org.junit.jupiter.api.Test;

class PrecisionRuleTest {

    /** Errors with per-unit standard deviations {@code sd}, seeded. */
    private static double[] errors(SplittableRandom rng, int batch, double... sd) {
        int d = sd.length;
        double[] e = new double[batch * d];
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < d; j++) {
                e[r * d + j] = sd[j] * rng.nextGaussian();
            }
        }
        return e;
    }

    @Test
    void covarianceRuleConvergesToTheInverseErrorVariance() {
        PrecisionRule rule = PrecisionRule.covariance(0.05, 1e-3, 1e3);
        SplittableRandom rng = new SplittableRandom(7);
        Precision diag = Precisions.diagonal(new double[] {1, 1});
        for (int t = 0; t < 2000; t++) {
            diag = rule.update(diag, errors(rng, 64, 0.5, 2.0), 64);
        }
        double[] p = diag.toDense();
        // Pi_jj -> 1/sd_j^2 = 4 and 0.25; the exponential average of 64-sample estimates fluctuates ~5%
        assertEquals(4.0, p[0], 0.4);
        assertEquals(0.25, p[3], 0.025);
    }

    @Test
    void fullCovarianceRuleLearnsTheInverseCovariance() {
        PrecisionRule rule = PrecisionRule.covariance(0.05, 1e-3, 1e3);
        SplittableRandom rng = new SplittableRandom(3);
        Precision pi = Precisions.full(2, new double[] {1, 0, 0, 1});
        for (int t = 0; t < 2000; t++) {
            // correlated errors: e = (u, u + v) with u, v ~ N(0,1): covariance [[1,1],[1,2]], precision [[2,-1],[-1,1]]
            double[] e = new double[128];
            for (int r = 0; r < 64; r++) {
                double u = rng.nextGaussian();
                double v = rng.nextGaussian();
                e[2 * r] = u;
                e[2 * r + 1] = u + v;
            }
            pi = rule.update(pi, e, 64);
        }
        double[] p = pi.toDense();
        assertEquals(2.0, p[0], 0.25);
        assertEquals(-1.0, p[1], 0.2);
        assertEquals(1.0, p[3], 0.15);
    }

    @Test
    void withoutTheLogDetTermAndWithoutAFloorPrecisionsCollapse() {
        PrecisionRule energyOnly = PrecisionRule.energyOnly(0.05, 0.0);
        SplittableRandom rng = new SplittableRandom(11);
        Precision s = Precisions.scalar(3, 1.0);
        for (int t = 0; t < 200; t++) {
            s = energyOnly.update(s, errors(rng, 32, 1, 1, 1), 32);
        }
        // the layer has silenced its own errors: E = 1/2 pi |eps|^2 is ~0 whatever eps is
        assertTrue(s.toDense()[0] < 1e-100, "precision collapsed to " + s.toDense()[0]);
    }

    @Test
    void theFloorStopsTheCollapseAndTheCovarianceRuleNeverNeedsIt() {
        SplittableRandom rng = new SplittableRandom(11);
        PrecisionRule floored = PrecisionRule.energyOnly(0.05, 0.1);
        PrecisionRule covariance = PrecisionRule.covariance(0.05, 0.1, 10);
        Precision a = Precisions.scalar(3, 1.0);
        Precision b = Precisions.scalar(3, 1.0);
        for (int t = 0; t < 200; t++) {
            double[] e = errors(rng, 32, 1, 1, 1);
            a = floored.update(a, e, 32);
            b = covariance.update(b, e, 32);
        }
        assertEquals(0.1, a.toDense()[0], 0.0);
        assertEquals(1.0, b.toDense()[0], 0.15);
    }

    @Test
    void vanishingErrorsHitTheCeilingNotInfinity() {
        PrecisionRule rule = PrecisionRule.covariance(0.5, 0.01, 100);
        Precision p = Precisions.diagonal(new double[] {1, 1});
        for (int t = 0; t < 200; t++) {
            p = rule.update(p, new double[4], 2);
        }
        assertEquals(100.0, p.toDense()[0], 0.0);
        assertEquals(100.0, p.toDense()[3], 0.0);
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PrecisionRule.covariance(0.1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> PrecisionRule.covariance(0.1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> PrecisionRule.covariance(1.5, 0.1, 10));
    }
}
