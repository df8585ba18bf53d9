package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link EnergyWorkspace#stepFlow} is {@link EnergyWorkspace#flow} without keeping {@code eps},
 * {@code Pi eps} and {@code f'}: the field, the energy and {@code Pi eps ⊙ f'} must be the very same bits.
 */
class StepFlowProperties {

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    @Property(tries = 200)
    void stepFlowGivesTheFlowsBits(@ForAll("cases") HierarchyCase c, @ForAll @IntRange(min = 1, max = 2) int parts) {
        EnergyWorkspace full = workspace(c, parts);
        EnergyWorkspace step = workspace(c, parts);
        double[] x = c.initialFree();
        int n = c.clamped().length;
        double[] g1 = new double[x.length];
        double[] g2 = new double[x.length];
        double[] e1 = new double[n];
        double[] e2 = new double[n];
        double a = full.flow(x, g1, e1);
        double b = step.stepFlow(x, g2, e2);
        assertArrayEquals(g1, g2, 0.0, "dx/dt");
        assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), "energy " + a + " vs " + b);
        assertArrayEquals(e1, e2, 0.0, "per-layer energies");
        for (int l = 0; l + 1 < n; l++) {
            assertArrayEquals(full.weightedErrorsTimesDerivative(l), step.weightedErrorsTimesDerivative(l), 0.0,
                    "Pi eps f' of layer " + l);
        }
    }

    @Test
    void errorBuffersAreRefusedAfterAStepFlowAndBackAfterAFullEvaluation() {
        Hierarchy h = Hierarchy.builder().layer(16, 1.0).layer(8, 1.0).layer(4, 1.0)
                .activation(0, Activations.TANH).activation(1, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 3).build();
        int batch = 4;
        EnergyWorkspace ws = new EnergyWorkspace(h, batch, new boolean[] {true, false, false});
        SplittableRandom r = new SplittableRandom(5);
        double[] data = new double[batch * 16];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextDouble(-1, 1);
        }
        ws.setClamped(0, data);
        double[] x = new double[ws.freeDimension()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        double[] out = new double[x.length];
        ws.flow(x, out, null);
        double[] eps = ws.errors(0).clone();
        ws.stepFlow(x, out, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ws.errors(0));
        assertTrue(e.getMessage().contains("stepFlow"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ws.weightedErrors(1));
        assertThrows(IllegalStateException.class, () -> ws.activationDerivative(0));
        assertDoesNotThrow(() -> ws.weightedErrorsTimesDerivative(0));
        ws.energy(x, null);
        assertArrayEquals(eps, ws.errors(0), 0.0, "eps after a full evaluation at the same state");
    }

    private static EnergyWorkspace workspace(HierarchyCase c, int parts) {
        EnergyWorkspace ws = new EnergyWorkspace(c.hierarchy(), c.batch(), c.clamped(), parts == 1 ? 0 : parts);
        for (int l = 0; l < c.clamped().length; l++) {
            if (c.clamped()[l]) {
                ws.setClamped(l, c.clampValues()[l]);
            }
        }
        return ws;
    }
}
