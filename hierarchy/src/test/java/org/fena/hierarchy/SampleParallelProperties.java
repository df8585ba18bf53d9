package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Splitting an evaluation by samples over threads changes nothing but the order of the energy sum. */
class SampleParallelProperties {

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    @Property(tries = 80)
    void splitEvaluationEqualsTheWholeOne(@ForAll("cases") HierarchyCase c, @ForAll @IntRange(min = 2, max = 3) int parts) {
        EnergyWorkspace whole = c.workspace();
        EnergyWorkspace split = new EnergyWorkspace(c.hierarchy(), c.batch(), c.clamped(), parts);
        for (int l = 0; l < c.clamped().length; l++) {
            if (c.clamped()[l]) {
                split.setClamped(l, c.clampValues()[l]);
            }
        }
        double[] x = c.initialFree();
        double[] g1 = new double[x.length];
        double[] g2 = new double[x.length];
        double[] e1 = new double[c.clamped().length];
        double[] e2 = new double[c.clamped().length];
        double a = whole.flow(x, g1, e1);
        double b = split.flow(x, g2, e2);
        assertArrayEquals(g1, g2, 1e-12 * (1 + maxAbs(g1)), "flow differs when split in " + parts);
        assertEquals(a, b, 1e-12 * (1 + Math.abs(a)));
        assertArrayEquals(e1, e2, 1e-12 * (1 + Math.abs(a)));
        whole.gradient(x, g1, null);
        split.gradient(x, g2, null);
        assertArrayEquals(g1, g2, 1e-12 * (1 + maxAbs(g1)));
        for (int l = 0; l + 1 < c.clamped().length; l++) {
            assertArrayEquals(whole.weightedErrorsTimesDerivative(l), split.weightedErrorsTimesDerivative(l),
                    1e-12 * (1 + maxAbs(whole.weightedErrorsTimesDerivative(l))));
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }
}
