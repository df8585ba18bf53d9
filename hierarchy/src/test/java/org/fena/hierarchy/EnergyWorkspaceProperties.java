package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fena.hierarchy.testing.HierarchyCase;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.fena.hierarchy.testing.ReferenceEnergy;

class EnergyWorkspaceProperties {

    @Provide
    Arbitrary<HierarchyCase> cases() {
        return RandomHierarchies.cases();
    }

    @Provide
    Arbitrary<HierarchyCase> linearCases() {
        return RandomHierarchies.linearCases();
    }

    /**
     * Central differences with h ~ 1e-6 have truncation error O(h^2 E''') and rounding error
     * O(ulp(E)/h); a mixed check |g - fd| <= 1e-5 (1 + |g|) sits well above both for these scales.
     * Coordinates whose perturbation moves a relu/leaky_relu pre-activation across its kink are
     * skipped: there the energy is not differentiable and no finite difference is meaningful.
     */
    @Property(tries = 400)
    void gradientEqualsCentralFiniteDifference(@ForAll("cases") HierarchyCase c) {
        EnergyWorkspace ws = c.workspace();
        double[] x = c.initialFree();
        double[] g = new double[x.length];
        double e0 = ws.gradient(x, g, null);
        double[][] states = c.layerStates(x);
        Hierarchy h = c.hierarchy();
        for (int l = 0; l < h.layers(); l++) {
            int off = ws.freeOffset(l);
            if (off < 0) {
                continue;
            }
            int d = h.dim(l);
            for (int i = 0; i < c.batch() * d; i++) {
                double xi = x[off + i];
                double step = 1e-6 * Math.max(1.0, Math.abs(xi));
                if (l > 0 && crossesKink(h, states, c.batch(), l, i / d, i % d, step)) {
                    continue;
                }
                x[off + i] = xi + step;
                double ep = ws.energy(x, null);
                x[off + i] = xi - step;
                double em = ws.energy(x, null);
                x[off + i] = xi;
                double fd = (ep - em) / (2 * step);
                double tol = 1e-5 * (1 + Math.abs(g[off + i])) + 1e-12 * Math.abs(e0) / step;
                if (Math.abs(fd - g[off + i]) > tol) {
                    fail(String.format("dE/dx at layer %d, sample %d, unit %d: gradient %.12g, central difference %.12g",
                            l, i / d, i % d, g[off + i], fd));
                }
            }
        }
    }

    /** Whether moving x_l[b, k] by +-step moves some a_{l-1}[b, j] of a kinked activation across 0. */
    private static boolean crossesKink(Hierarchy h, double[][] states, int batch, int l, int b, int k, double step) {
        Activation f = h.activation(l - 1);
        String name = f.name();
        if (!name.startsWith("relu") && !name.startsWith("leaky_relu")) {
            return false;
        }
        double[] a = ReferenceEnergy.preActivation(h, states, batch, l - 1);
        int dBelow = h.dim(l - 1);
        int d = h.dim(l);
        double[] w = h.weights(l - 1);
        for (int j = 0; j < dBelow; j++) {
            double reach = 1.01 * step * Math.abs(w[j * d + k]) + 1e-14;
            if (Math.abs(a[b * dBelow + j]) <= reach && w[j * d + k] != 0) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 300)
    void gradientMatchesNaiveLoops(@ForAll("cases") HierarchyCase c) {
        EnergyWorkspace ws = c.workspace();
        double[] x = c.initialFree();
        double[] g = new double[x.length];
        double[] perLayer = new double[c.hierarchy().layers()];
        double e = ws.gradient(x, g, perLayer);
        double[][] states = c.layerStates(x);
        double[] refPer = new double[perLayer.length];
        double eRef = ReferenceEnergy.energy(c.hierarchy(), states, c.batch(), refPer);
        assertClose(eRef, e, 1e-12, "energy");
        double[][] gRef = ReferenceEnergy.gradient(c.hierarchy(), states, c.batch());
        for (int l = 0; l < perLayer.length; l++) {
            assertClose(refPer[l], perLayer[l], 1e-12, "energy of layer " + l);
            int off = ws.freeOffset(l);
            if (off >= 0) {
                for (int i = 0; i < gRef[l].length; i++) {
                    assertClose(gRef[l][i], g[off + i], 1e-11, "dE/dx of layer " + l + " at " + i);
                }
            }
        }
    }

    @Property(tries = 300)
    void flowIsMinusGradientOverTau(@ForAll("cases") HierarchyCase c) {
        EnergyWorkspace ws = c.workspace();
        double[] x = c.initialFree();
        double[] g = new double[x.length];
        double[] f = new double[x.length];
        double eg = ws.gradient(x, g, null);
        double ef = ws.flow(x, f, null);
        assertEquals(eg, ef, 0.0, "flow and gradient return the same energy");
        Hierarchy h = c.hierarchy();
        for (int l = 0; l < h.layers(); l++) {
            int off = ws.freeOffset(l);
            if (off < 0) {
                continue;
            }
            for (int i = 0; i < ws.layerSize(l); i++) {
                assertClose(-g[off + i] / h.tau(l), f[off + i], 1e-13, "flow of layer " + l + " at " + i);
            }
        }
    }

    @Property(tries = 300)
    void energyIsSumOfLayerTerms(@ForAll("cases") HierarchyCase c) {
        EnergyWorkspace ws = c.workspace();
        double[] x = c.initialFree();
        double[] perLayer = new double[c.hierarchy().layers()];
        double e = ws.energy(x, perLayer);
        double sum = 0;
        for (int l = 0; l < perLayer.length; l++) {
            assertTrue(perLayer[l] >= 0, "a layer term 1/2 eps' Pi eps is never negative");
            // each term is 1/2 eps' Pi eps from the exposed buffers
            double[] eps = ws.errors(l);
            double[] pe = ws.weightedErrors(l);
            double t = 0;
            if (eps != null) {
                for (int i = 0; i < eps.length; i++) {
                    t += 0.5 * eps[i] * pe[i];
                }
            }
            assertClose(t, perLayer[l], 1e-12, "term of layer " + l);
            sum += perLayer[l];
        }
        if (!c.hierarchy().hasPrior()) {
            assertEquals(0.0, perLayer[c.hierarchy().top()], "top term without prior");
        }
        assertEquals(sum, e, 1e-12 * Math.max(1, Math.abs(e)));
        assertEquals(e, ws.energy(x, null), 0.0, "perLayer is optional and changes nothing");
    }

    @Property(tries = 200)
    void clampedLayersHaveNoGradientEntries(@ForAll("cases") HierarchyCase c) {
        EnergyWorkspace ws = c.workspace();
        Hierarchy h = c.hierarchy();
        int expected = 0;
        for (int l = 0; l < h.layers(); l++) {
            if (ws.isClamped(l)) {
                assertEquals(-1, ws.freeOffset(l), "clamped layer " + l + " has no block");
            } else {
                assertEquals(expected, ws.freeOffset(l), "free blocks are contiguous, bottom first");
                expected += c.batch() * h.dim(l);
            }
        }
        assertEquals(expected, ws.freeDimension());
        // the gradient touches exactly the free layout: nothing past it
        double[] x = c.initialFree();
        double[] g = new double[x.length + 3];
        Arrays.fill(g, 42.0);
        ws.gradient(x, g, null);
        for (int i = x.length; i < g.length; i++) {
            assertEquals(42.0, g[i]);
        }
        // moving a clamped layer's values changes the energy but not the layout
        for (int l = 0; l < h.layers(); l++) {
            if (ws.isClamped(l)) {
                ws.clampedValues(l)[0] += 0.5;
            }
        }
        ws.gradient(x, g, null);
        assertEquals(expected, ws.freeDimension());
    }

    @Property(tries = 200)
    void outputDoesNotDependOnItsPreviousContents(@ForAll("cases") HierarchyCase c) {
        EnergyWorkspace ws = c.workspace();
        double[] x = c.initialFree();
        double[] clean = new double[x.length];
        double[] dirty = new double[x.length];
        Arrays.fill(dirty, Double.NaN);
        ws.flow(x, clean, null);
        ws.flow(x, dirty, null);
        assertTrue(Arrays.equals(clean, dirty), "stale output leaked into the flow");
    }

    @Property(tries = 200)
    void batchEnergyIsSumOverSamples(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy();
        int b = c.batch();
        double[][] states = c.layerStates(c.initialFree());
        double whole = c.workspace().energy(c.initialFree(), null);
        double sum = 0;
        boolean[] mask = c.clamped();
        for (int s = 0; s < b; s++) {
            EnergyWorkspace one = new EnergyWorkspace(h, 1, mask);
            double[] free = new double[one.freeDimension()];
            for (int l = 0; l < h.layers(); l++) {
                int d = h.dim(l);
                double[] row = Arrays.copyOfRange(states[l], s * d, (s + 1) * d);
                if (mask[l]) {
                    one.setClamped(l, row);
                } else {
                    System.arraycopy(row, 0, free, one.freeOffset(l), d);
                }
            }
            sum += one.energy(free, null);
        }
        assertClose(sum, whole, 1e-12, "batch energy");
    }

    @Property(tries = 200)
    void topDownPredictionMatchesTheMathematics(@ForAll("cases") HierarchyCase c) {
        Hierarchy h = c.hierarchy();
        EnergyWorkspace ws = c.workspace();
        double[] x = c.initialFree();
        double[][] states = c.layerStates(x);
        for (int l = 0; l < h.top(); l++) {
            double[] mu = new double[ws.layerSize(l)];
            ws.topDownPrediction(x, l, mu);
            double[] ref = ReferenceEnergy.prediction(h, states, c.batch(), l);
            for (int i = 0; i < mu.length; i++) {
                assertClose(ref[i], mu[i], 1e-13, "mu of layer " + l);
            }
            double[] st = new double[ws.layerSize(l)];
            ws.layerState(x, l, st);
            assertTrue(Arrays.equals(states[l], st), "layerState of layer " + l);
        }
    }

    @Property(tries = 100)
    void linearCasesHaveAMinimumWhereTheGradientVanishes(@ForAll("linearCases") HierarchyCase c) {
        double[] xStar = c.closedFormMinimum();
        EnergyWorkspace ws = c.workspace();
        double[] g = new double[xStar.length];
        double eStar = ws.gradient(xStar, g, null);
        double norm = 0;
        for (double v : g) {
            norm = Math.max(norm, Math.abs(v));
        }
        assertTrue(norm < 1e-8, "gradient at the closed-form minimum: " + norm);
        assertTrue(eStar <= ws.energy(c.initialFree(), null) + 1e-12, "the minimum is no higher than the start");
    }

    static void assertClose(double expected, double actual, double rel, String what) {
        double tol = rel * Math.max(1.0, Math.abs(expected));
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }
}
