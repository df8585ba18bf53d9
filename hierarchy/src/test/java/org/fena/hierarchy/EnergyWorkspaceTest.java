package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fena.hierarchy.testing.RandomHierarchies;
import org.fena.hierarchy.testing.ReferenceEnergy;
import org.junit.jupiter.api.Test;

class EnergyWorkspaceTest {

    /**
     * d_0 = 2, d_1 = 2, W_0 = [[1, 2], [0, 1]], b_0 = [0.5, -1], Pi_0 = 2 I, tau = (1, 0.5),
     * x_1 = [1, -1], x_0 = [3, 0]:
     * a_0 = [-0.5, -2], eps_0 = [3.5, 2], E = 1/2 * 2 * (12.25 + 4) = 16.25,
     * dE/dx_0 = Pi eps_0 = [7, 4], dE/dx_1 = -W_0' Pi eps_0 = -[7, 18].
     */
    private static Hierarchy handExample(boolean prior) {
        Hierarchy.Builder b = Hierarchy.builder()
                .layer(2, 1.0).layer(2, 0.5)
                .weights(0, new double[] {1, 2, 0, 1})
                .bias(0, new double[] {0.5, -1})
                .precision(0, Precisions.scalar(2, 2.0));
        if (prior) {
            b.prior(new double[] {0, 1}, Precisions.diagonal(new double[] {1, 3}));
        }
        return b.build();
    }

    @Test
    void twoLayerLinearMatchesHandComputedEnergyGradientAndFlow() {
        EnergyWorkspace ws = new EnergyWorkspace(handExample(false), 1, new boolean[] {false, false});
        double[] x = {3, 0, 1, -1};
        double[] g = new double[4];
        double[] per = new double[2];
        assertEquals(16.25, ws.gradient(x, g, per), 1e-14);
        assertArrayEquals(new double[] {7, 4, -7, -18}, g, 1e-14);
        assertArrayEquals(new double[] {16.25, 0}, per, 1e-14);
        double[] f = new double[4];
        assertEquals(16.25, ws.flow(x, f, null), 1e-14);
        assertArrayEquals(new double[] {-7, -4, 14, 36}, f, 1e-14);
        assertArrayEquals(new double[] {3.5, 2}, ws.errors(0), 1e-14);
        assertArrayEquals(new double[] {7, 4}, ws.weightedErrors(0), 1e-14);
        assertArrayEquals(new double[] {1, 1}, ws.activationDerivative(0), 0);
        assertNull(ws.errors(1), "no prior: the top layer has no error");
        assertNull(ws.activationDerivative(1));
    }

    /** The same with a prior m = [0, 1], Pi = diag(1, 3): eps_1 = [1, -2], E_1 = 6.5, dE/dx_1 += [1, -6]. */
    @Test
    void topPriorAddsItsTermToEnergyAndGradient() {
        EnergyWorkspace ws = new EnergyWorkspace(handExample(true), 1, new boolean[] {false, false});
        double[] x = {3, 0, 1, -1};
        double[] g = new double[4];
        double[] per = new double[2];
        assertEquals(22.75, ws.gradient(x, g, per), 1e-14);
        assertArrayEquals(new double[] {7, 4, -6, -24}, g, 1e-14);
        assertArrayEquals(new double[] {16.25, 6.5}, per, 1e-14);
        assertArrayEquals(new double[] {1, -2}, ws.errors(1), 1e-14);
        assertArrayEquals(new double[] {1, -6}, ws.weightedErrors(1), 1e-14);
    }

    @Test
    void clampingTheBottomLeavesOnlyTheTopFree() {
        EnergyWorkspace ws = new EnergyWorkspace(handExample(false), 1, new boolean[] {true, false});
        ws.setClamped(0, new double[] {3, 0});
        assertEquals(-1, ws.freeOffset(0));
        assertEquals(0, ws.freeOffset(1));
        assertEquals(2, ws.freeDimension());
        double[] g = new double[2];
        assertEquals(16.25, ws.gradient(new double[] {1, -1}, g, null), 1e-14);
        assertArrayEquals(new double[] {-7, -18}, g, 1e-14);
        ws.clampedValues(0)[0] = 4; // live buffer
        assertEquals(0.5 * 2 * (4.5 * 4.5 + 4), ws.energy(new double[] {1, -1}, null), 1e-14);
    }

    /** Batch 4, dims 7-5-6, full precisions and a nonlinear activation: BLAS against triple loops. */
    @Test
    void batchedProductsWithFullPrecisionMatchNaiveTripleLoops() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] dims = {7, 5, 6};
        Hierarchy h = Hierarchy.builder()
                .layer(dims[0], 1.0).layer(dims[1], 2.0).layer(dims[2], 0.5)
                .activation(0, Activations.TANH).activation(1, Activations.SOFTPLUS)
                .precision(0, Precisions.full(7, RandomHierarchies.gram(random(rng, 49), 7, 0.3)))
                .precision(1, Precisions.full(5, RandomHierarchies.gram(random(rng, 25), 5, 0.3)))
                .bias(0, random(rng, 7)).bias(1, random(rng, 5))
                .prior(random(rng, 6), Precisions.full(6, RandomHierarchies.gram(random(rng, 36), 6, 0.3)))
                .weightInit(WeightInit.xavierNormal(), 5)
                .build();
        int batch = 4;
        for (boolean[] mask : new boolean[][] {{false, false, false}, {true, false, false}, {false, true, false}}) {
            EnergyWorkspace ws = new EnergyWorkspace(h, batch, mask);
            double[][] states = new double[3][];
            double[] free = new double[ws.freeDimension()];
            for (int l = 0; l < 3; l++) {
                states[l] = random(rng, batch * dims[l]);
                if (mask[l]) {
                    ws.setClamped(l, states[l]);
                } else {
                    System.arraycopy(states[l], 0, free, ws.freeOffset(l), states[l].length);
                }
            }
            double[] g = new double[free.length];
            double[] per = new double[3];
            double e = ws.gradient(free, g, per);
            double[] refPer = new double[3];
            assertEquals(ReferenceEnergy.energy(h, states, batch, refPer), e, 1e-12);
            assertArrayEquals(refPer, per, 1e-12);
            double[][] gRef = ReferenceEnergy.gradient(h, states, batch);
            for (int l = 0; l < 3; l++) {
                if (!mask[l]) {
                    for (int i = 0; i < gRef[l].length; i++) {
                        assertEquals(gRef[l][i], g[ws.freeOffset(l) + i], 1e-12, "layer " + l + " entry " + i);
                    }
                }
                assertArrayEquals(ReferenceEnergy.weightedError(h, states, batch, l), ws.weightedErrors(l), 1e-12);
            }
        }
    }

    @Test
    void parametersAreReadLiveAtEveryEvaluation() {
        Hierarchy h = handExample(false);
        EnergyWorkspace ws = new EnergyWorkspace(h, 1, new boolean[] {false, false});
        double[] x = {3, 0, 1, -1};
        double before = ws.energy(x, null);
        h.weights(0)[1] = 0; // W_0 = [[1, 0], [0, 1]]: a_0 = [1.5, -2], eps_0 = [1.5, 2]
        assertEquals(0.5 * 2 * (2.25 + 4), ws.energy(x, null), 1e-14);
        assertTrue(before != ws.energy(x, null));
    }

    @Test
    void topDownPredictionCanWriteStraightIntoTheFreeVector() {
        Hierarchy h = handExample(false);
        EnergyWorkspace ws = new EnergyWorkspace(h, 1, new boolean[] {false, false});
        double[] x = {99, 99, 1, -1};
        ws.topDownPrediction(x, 0, x, ws.freeOffset(0));
        assertArrayEquals(new double[] {-0.5, -2, 1, -1}, x, 1e-14);
        assertThrows(IllegalArgumentException.class, () -> ws.topDownPrediction(x, 1, new double[2]));
    }

    @Test
    void misuseIsRefusedWithAMessageThatNamesTheLayer() {
        Hierarchy h = handExample(false);
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
                () -> new EnergyWorkspace(h, 1, new boolean[] {true, true}));
        assertTrue(all.getMessage().contains("every layer is clamped"), all.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EnergyWorkspace(h, 0, new boolean[] {false, false}));
        assertThrows(IllegalArgumentException.class, () -> new EnergyWorkspace(h, 1, new boolean[] {false}));
        EnergyWorkspace ws = new EnergyWorkspace(h, 2, new boolean[] {true, false});
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> ws.setClamped(0, new double[3]));
        assertTrue(len.getMessage().contains("layer 0") && len.getMessage().contains("4"), len.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> ws.setClamped(0, new double[] {0, 0, Double.NaN, 0}));
        assertTrue(nan.getMessage().contains("sample 1"), nan.getMessage());
        IllegalArgumentException free = assertThrows(IllegalArgumentException.class,
                () -> ws.setClamped(1, new double[4]));
        assertTrue(free.getMessage().contains("free"), free.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ws.energy(new double[3], null));
        assertThrows(IllegalArgumentException.class, () -> ws.flow(new double[4], new double[3], null));
        assertThrows(IllegalArgumentException.class, () -> ws.errors(2));
    }

    /** An activation FENA does not know: the workspace cannot fuse it and takes its generic path. */
    private static final Activation CUBIC = new Activation() {
        @Override public String name() { return "cubic"; }
        @Override public double value(double a) { return a + 0.1 * a * a * a; }
        @Override public double derivative(double a) { return 1 + 0.3 * a * a; }
        @Override public double secondDerivative(double a) { return 0.6 * a; }
    };

    @Test
    void userDefinedActivationGivesTheSameEnergyAndGradientAsTheMathematics() {
        SplittableRandom rng = new SplittableRandom(21);
        Hierarchy h = Hierarchy.builder()
                .layer(4, 1.0).layer(3, 2.0).layer(2, 1.0)
                .activation(0, CUBIC).activation(1, CUBIC)
                .precision(0, Precisions.diagonal(new double[] {1, 2, 3, 4}))
                .bias(0, random(rng, 4))
                .weightInit(WeightInit.xavierUniform(), 3)
                .build();
        for (int batch : new int[] {1, 3}) {
            EnergyWorkspace ws = new EnergyWorkspace(h, batch, new boolean[] {true, false, false});
            double[][] states = {random(rng, batch * 4), random(rng, batch * 3), random(rng, batch * 2)};
            ws.setClamped(0, states[0]);
            double[] free = new double[ws.freeDimension()];
            System.arraycopy(states[1], 0, free, 0, states[1].length);
            System.arraycopy(states[2], 0, free, states[1].length, states[2].length);
            double[] g = new double[free.length];
            assertEquals(ReferenceEnergy.energy(h, states, batch, null), ws.gradient(free, g, null), 1e-13);
            double[][] gRef = ReferenceEnergy.gradient(h, states, batch);
            for (int l = 1; l < 3; l++) {
                for (int i = 0; i < gRef[l].length; i++) {
                    assertEquals(gRef[l][i], g[ws.freeOffset(l) + i], 1e-13, "layer " + l + " entry " + i);
                }
            }
            double[] f = new double[free.length];
            ws.flow(free, f, null);
            for (int i = 0; i < f.length; i++) {
                double tau = i < states[1].length ? 2.0 : 1.0;
                assertEquals(-g[i] / tau, f[i], 1e-15);
            }
        }
    }

    static double[] random(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(-1, 1);
        }
        return v;
    }

    @Test
    void aReplacedPrecisionTakesEffectAtTheNextEvaluation() {
        Hierarchy h = Hierarchy.builder().layer(2, 1.0).layer(1, 1.0).weights(0, new double[] {1.0, 0.5})
                .prior(new double[] {0.0}, Precisions.scalar(1, 1.0)).build();
        EnergyWorkspace ws = new EnergyWorkspace(h, 1, new boolean[] {true, false});
        ws.setClamped(0, new double[] {1.0, -1.0});
        double[] x = {0.3};
        double before = ws.energy(x, null);
        h.setPrecision(0, Precisions.diagonal(new double[] {2.0, 4.0}));
        double after = ws.energy(x, null);
        // eps_0 = (1 - 0.3, -1 - 0.15) = (0.7, -1.15); prior term 1/2 0.3^2
        assertEquals(0.5 * (0.49 + 1.3225) + 0.045, before, 1e-15);
        assertEquals(0.5 * (2 * 0.49 + 4 * 1.3225) + 0.045, after, 1e-15);
    }
}
