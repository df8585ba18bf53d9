package org.fena.hierarchy.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fena.hierarchy.EnergyWorkspace;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;

class HebbianRuleProperties {

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    /**
     * The Hebbian direction is {@code -(1/B) dE/dW_l} (and {@code -(1/B) dE/db_l}): checked entry by
     * entry against central differences of the energy in the live parameters. Relu-like activations
     * are excluded: at their kink the energy has no derivative to compare with.
     */
    @Property(tries = 200)
    void hebbianDirectionIsMinusTheWeightGradientOverTheBatch(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy().copy();
        Assume.that(smooth(h));
        EnergyWorkspace ws = new EnergyWorkspace(h, c.batch(), c.clamped());
        for (int l = 0; l < h.layers(); l++) {
            if (c.clamped()[l]) {
                ws.setClamped(l, c.clampValues()[l]);
            }
        }
        double[] x = c.initialFree();
        double e0 = ws.energy(x, null);
        HebbianRule rule = new HebbianRule(h);
        rule.compute(ws, x);
        for (int l = 0; l < h.top(); l++) {
            check(ws, x, h.weights(l), rule.weightDirection(l), c.batch(), e0, "W_" + l);
            check(ws, x, h.bias(l), rule.biasDirection(l), c.batch(), e0, "b_" + l);
        }
    }

    private static void check(EnergyWorkspace ws, double[] x, double[] p, double[] dir, int batch, double e0,
            String what) {
        for (int i = 0; i < p.length; i++) {
            double pi = p[i];
            double step = 1e-6 * Math.max(1.0, Math.abs(pi));
            p[i] = pi + step;
            double ep = ws.energy(x, null);
            p[i] = pi - step;
            double em = ws.energy(x, null);
            p[i] = pi;
            double fd = -(ep - em) / (2 * step) / batch;
            double tol = 1e-5 * (1 + Math.abs(dir[i])) + 1e-12 * Math.abs(e0) / step;
            assertTrue(Math.abs(fd - dir[i]) <= tol, what + "[" + i + "]: Hebbian " + dir[i] + " vs -(1/B) dE/d"
                    + what + " = " + fd);
        }
    }

    static boolean smooth(Hierarchy h) {
        for (int l = 0; l < h.top(); l++) {
            String n = h.activation(l).name();
            if (n.startsWith("relu") || n.startsWith("leaky_relu")) {
                return false;
            }
        }
        return true;
    }
}
