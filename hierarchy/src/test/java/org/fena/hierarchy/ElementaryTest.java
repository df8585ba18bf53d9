package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The arithmetic-only exp/tanh/logistic: accurate, and the same bits however and whenever they run. */
class ElementaryTest {

    private static double ulps(double got, double want) {
        return Math.abs(got - want) / Math.ulp(want);
    }

    @Test
    void expTanhAndLogisticAreWithinTwoUlpsOfTheJdk() {
        SplittableRandom rng = new SplittableRandom(3);
        double worstExp = 0;
        double worstTanh = 0;
        double worstLogistic = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = (rng.nextDouble() * 2 - 1) * (i % 3 == 0 ? 0.7 : i % 3 == 1 ? 8 : 60);
            worstExp = Math.max(worstExp, ulps(Elementary.exp(x), StrictMath.exp(x)));
            worstTanh = Math.max(worstTanh, ulps(Elementary.tanh(x), StrictMath.tanh(x)));
            double l = 1.0 / (1.0 + StrictMath.exp(-x));
            worstLogistic = Math.max(worstLogistic, ulps(Elementary.logistic(x), l));
        }
        assertTrue(worstExp <= 2, "exp off by " + worstExp + " ulp");
        assertTrue(worstTanh <= 2, "tanh off by " + worstTanh + " ulp");
        assertTrue(worstLogistic <= 3, "logistic off by " + worstLogistic + " ulp");
        assertEquals(0.0, Elementary.tanh(0.0));
        assertEquals(1.0, Elementary.tanh(40.0));
        assertEquals(-1.0, Elementary.tanh(-1e300));
        assertEquals(Math.tanh(1e-10), Elementary.tanh(1e-10));
        // odd to the sign of zero, and NaN stays NaN through the clamp (a compare, not Math.min)
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Elementary.tanh(-0.0)));
        assertTrue(Double.isNaN(Elementary.tanh(Double.NaN)));
        assertEquals(-1.0, Elementary.tanh(Double.NEGATIVE_INFINITY));
    }

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    /** The same evaluation repeated in one JVM gives the same bits: no dependence on the JIT's state. */
    @Property(tries = 30)
    void repeatedEvaluationGivesIdenticalBits(@ForAll("cases") HierarchyCase c) {
        EnergyWorkspace ws = c.workspace();
        double[] x = c.initialFree();
        double[] g0 = new double[x.length];
        double e0 = ws.flow(x, g0, null);
        double[] g = new double[x.length];
        for (int rep = 0; rep < 2000; rep++) {
            double e = ws.flow(x, g, null);
            assertEquals(Double.doubleToRawLongBits(e0), Double.doubleToRawLongBits(e), "energy changed at repeat " + rep);
            for (int i = 0; i < g.length; i++) {
                assertEquals(Double.doubleToRawLongBits(g0[i]), Double.doubleToRawLongBits(g[i]));
            }
        }
    }
}
