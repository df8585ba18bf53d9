package org.fena.hierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
 * {@code Pi eps} and {@code f'}: the field, the energy and {@code Pi eps ⊙ f'} must be the very same
 * bits for a batch, and equal to rounding for one sample (whose predictions it sums in another order).
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
        assertSameField(c.batch(), g1, g2, a, b, "");
        if (c.batch() > 1) {
            assertArrayEquals(e1, e2, 0.0, "per-layer energies");
            for (int l = 0; l + 1 < n; l++) {
                assertArrayEquals(full.weightedErrorsTimesDerivative(l), step.weightedErrorsTimesDerivative(l), 0.0,
                        "Pi eps f' of layer " + l);
            }
        } else {
            assertClose(e1, e2, "per-layer energies");
        }
    }

    /**
     * A stepFlow's field and energy against a flow's: the same bits for a batch, to rounding for one
     * sample (whose products take other kernels in a step).
     */
    private static void assertSameField(int batch, double[] flow, double[] step, double a, double b, String where) {
        if (batch > 1) {
            assertArrayEquals(flow, step, 0.0, "dx/dt" + where);
            assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), "energy " + a + " vs " + b + where);
        } else {
            assertClose(flow, step, "dx/dt" + where);
            assertClose(new double[] {a}, new double[] {b}, "energy" + where);
        }
    }

    /**
     * stepFlows in a row, the state moving between them, stay a fresh flow's bits (to rounding for
     * one sample), whatever the clamp mask: the prediction made by a clamped layer is computed at the
     * first of them and kept for the others, and new clamped values ({@code setClamped}) are seen by
     * the next one.
     */
    @Property(tries = 200)
    void stepFlowsInARowFollowTheStateAndTheClamps(@ForAll("cases") HierarchyCase c,
            @ForAll @IntRange(min = 1, max = 2) int parts) {
        EnergyWorkspace full = workspace(c, parts);
        EnergyWorkspace step = workspace(c, parts);
        double[] x = c.initialFree();
        int n = c.clamped().length;
        double[] g1 = new double[x.length];
        double[] g2 = new double[x.length];
        for (int k = 0; k < 5; k++) {
            if (k == 3) {
                for (int l = 0; l < n; l++) {
                    if (c.clamped()[l]) {
                        double[] v = c.clampValues()[l].clone();
                        for (int i = 0; i < v.length; i++) {
                            v[i] = 0.5 * v[i] - 0.25;
                        }
                        full.setClamped(l, v);
                        step.setClamped(l, v);
                    }
                }
            }
            double a = full.flow(x, g1, null);
            double b = step.stepFlow(x, g2, null);
            assertSameField(c.batch(), g1, g2, a, b, " at stepFlow " + k);
            for (int i = 0; i < x.length; i++) {
                x[i] += 0.05 * g1[i];
            }
        }
    }

    /**
     * One sample through layers wide enough for the transposed predictions (16 outputs and more, which
     * the random cases above never reach), any activation: to rounding the flow's field and energy,
     * at the first stepFlow and at later ones.
     */
    @Property(tries = 100)
    void oneSampleStepFlowMatchesTheFlowOnWideLayers(@ForAll @IntRange(min = 1, max = 48) int d0,
            @ForAll @IntRange(min = 1, max = 48) int d1, @ForAll @IntRange(min = 1, max = 24) int d2,
            @ForAll @IntRange(min = 0, max = 5) int activation, @ForAll long seed) {
        Activation f = Activations.byName(List.of("identity", "tanh", "logistic", "relu", "leaky_relu", "softplus").get(activation));
        Hierarchy h = Hierarchy.builder().layer(d0, 1.0).layer(d1, 0.5).layer(d2, 2.0).activation(0, f)
                .activation(1, Activations.TANH).weightInit(WeightInit.xavierUniform(), seed).build();
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] clamped = {true, false, false};
        EnergyWorkspace full = new EnergyWorkspace(h, 1, clamped);
        EnergyWorkspace step = new EnergyWorkspace(h, 1, clamped);
        double[] data = new double[d0];
        for (int i = 0; i < d0; i++) {
            data[i] = r.nextDouble(-1, 1);
        }
        full.setClamped(0, data);
        step.setClamped(0, data);
        double[] x = new double[full.freeDimension()];
        double[] g1 = new double[x.length];
        double[] g2 = new double[x.length];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextDouble(-1, 1);
            }
            double a = full.flow(x, g1, null);
            double b = step.stepFlow(x, g2, null);
            assertClose(g1, g2, "dx/dt at stepFlow " + k);
            assertClose(new double[] {a}, new double[] {b}, "energy at stepFlow " + k);
        }
        for (int l = 0; l < h.top(); l++) {
            double[] w = h.weights(l);
            for (int i = 0; i < w.length; i++) {
                w[i] = 0.5 * w[i] + 0.01 * (i % 7 - 3);
            }
        }
        step.energy(x, null);
        step.stepFlow(x, g2, null);
        full.flow(x, g1, null);
        assertClose(g1, g2, "dx/dt after the weights changed");
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = 1;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(expected, actual, 1e-12 * scale, what);
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

    /**
     * Precision learning replaces {@code Pi_l} between settles and keeps the workspace (PcTrainer):
     * a workspace that has already evaluated, stepped and taken its copies gives, after every
     * precision (the prior's included) has been replaced by one of another value and maybe another
     * kind, the very bits of a workspace built afterwards, in full evaluations, flows and stepFlows,
     * split over samples or not.
     */
    @Property(tries = 150)
    void aKeptWorkspaceSeesReplacedPrecisionsAsAFreshOneDoes(@ForAll("cases") HierarchyCase c,
            @ForAll @IntRange(min = 1, max = 2) int parts, @ForAll long seed) {
        Hierarchy h = c.hierarchy().copy();
        EnergyWorkspace kept = workspace(h, c, parts);
        double[] x = c.initialFree();
        double[] g1 = new double[x.length];
        double[] g2 = new double[x.length];
        kept.flow(x, g1, null);
        kept.stepFlow(x, g1, null);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < h.layers(); l++) {
            if (h.precision(l) != null) {
                h.setPrecision(l, randomPrecision(h.dim(l), rng));
            }
        }
        EnergyWorkspace fresh = workspace(h, c, parts);
        assertEquals(fresh.energy(x, null), kept.energy(x, null), 0.0, "energy");
        double a = fresh.flow(x, g1, null);
        double b = kept.flow(x, g2, null);
        assertArrayEquals(g1, g2, 0.0, "flow");
        assertEquals(a, b, 0.0, "flow's energy");
        a = fresh.stepFlow(x, g1, null);
        b = kept.stepFlow(x, g2, null);
        assertArrayEquals(g1, g2, 0.0, "stepFlow");
        assertEquals(a, b, 0.0, "stepFlow's energy");
    }

    private static Precision randomPrecision(int d, SplittableRandom rng) {
        switch (rng.nextInt(3)) {
            case 0:
                return Precisions.scalar(d, rng.nextDouble(0.2, 5.0));
            case 1:
                return Precisions.diagonal(rng.doubles(d, 0.2, 5.0).toArray());
            default:
                return Precisions.full(d, RandomHierarchies.gram(rng.doubles(d * d, -1.0, 1.0).toArray(), d,
                        rng.nextDouble(0.2, 2.0)));
        }
    }

    private static EnergyWorkspace workspace(HierarchyCase c, int parts) {
        return workspace(c.hierarchy(), c, parts);
    }

    private static EnergyWorkspace workspace(Hierarchy h, HierarchyCase c, int parts) {
        EnergyWorkspace ws = new EnergyWorkspace(h, c.batch(), c.clamped(), parts == 1 ? 0 : parts);
        for (int l = 0; l < c.clamped().length; l++) {
            if (c.clamped()[l]) {
                ws.setClamped(l, c.clampValues()[l]);
            }
        }
        return ws;
    }

    /**
     * The weight copies a stepFlow reads (one sample's {@code W'}, a batch's packed {@code W} and
     * {@code W'}) are kept between stepFlows, so weights changed in place are not seen until
     * {@link EnergyWorkspace#retakeWeights} (or another evaluation); after it, the very bits of a fresh
     * workspace.
     */
    @Test
    void retakeWeightsMakesTheNextStepFlowSeeChangedWeights() {
        // 32-24-16: one sample's W' copies; 64-32-16: also the aligned W copy of the 64 x 32 layer
        for (int[] dims : new int[][] {{32, 24, 16}, {64, 32, 16}}) {
          for (int batch : new int[] {1, 8}) {
            Hierarchy h = Hierarchy.builder().layer(dims[0], 1.0).layer(dims[1], 0.5).layer(dims[2], 2.0)
                    .activation(0, Activations.TANH).activation(1, Activations.TANH)
                    .weightInit(WeightInit.xavierUniform(), 3).build();
            boolean[] clamped = {true, false, false};
            SplittableRandom r = new SplittableRandom(4);
            double[] data = EnergyWorkspaceTest.random(r, batch * dims[0]);
            EnergyWorkspace ws = new EnergyWorkspace(h, batch, clamped);
            ws.setClamped(0, data);
            double[] x = EnergyWorkspaceTest.random(r, ws.freeDimension());
            double[] out = new double[x.length];
            ws.stepFlow(x, out, null);
            for (int l = 0; l < 2; l++) {
                double[] w = h.weights(l);
                for (int i = 0; i < w.length; i++) {
                    w[i] *= 1.5;
                }
            }
            EnergyWorkspace fresh = new EnergyWorkspace(h, batch, clamped);
            fresh.setClamped(0, data);
            double[] expected = new double[x.length];
            fresh.stepFlow(x, expected, null);
            ws.stepFlow(x, out, null);
            assertTrue(!java.util.Arrays.equals(expected, out), "batch " + batch + ": copies kept between stepFlows");
            ws.retakeWeights();
            ws.stepFlow(x, out, null);
            assertArrayEquals(expected, out, 0.0, "batch " + batch + ": after retakeWeights");
          }
        }
    }

    /**
     * With the weights held ({@link EnergyWorkspace#holdWeights}) the top-down start, the steps and the
     * full evaluation after them share one prediction of each clamped layer; they give the bits of a
     * workspace that computes it every time, whole or split in parts, and after
     * {@link EnergyWorkspace#retakeWeights} changed weights are seen again.
     */
    @Test
    void heldWeightsGiveTheBitsOfFreshProducts() {
        for (int parts : new int[] {0, 2}) {
            Hierarchy h = Hierarchy.builder().layer(6, 1.0).layer(40, 0.5).layer(72, 2.0).activation(0, Activations.TANH)
                    .activation(1, Activations.TANH).weightInit(WeightInit.xavierUniform(), 7).build();
            boolean[] clamped = {true, false, true};
            int batch = 6;
            SplittableRandom r = new SplittableRandom(8);
            double[] labels = EnergyWorkspaceTest.random(r, batch * 6);
            double[] image = EnergyWorkspaceTest.random(r, batch * 72);
            EnergyWorkspace held = new EnergyWorkspace(h, batch, clamped, parts);
            EnergyWorkspace fresh = new EnergyWorkspace(h, batch, clamped, parts);
            for (EnergyWorkspace ws : new EnergyWorkspace[] {held, fresh}) {
                ws.setClamped(0, labels);
                ws.setClamped(2, image);
            }
            for (int round = 0; round < 2; round++) {
                double[] x1 = new double[held.freeDimension()];
                double[] x2 = new double[fresh.freeDimension()];
                held.holdWeights();
                held.topDownPrediction(x1, 1, x1, held.freeOffset(1));
                fresh.retakeWeights();
                fresh.topDownPrediction(x2, 1, x2, fresh.freeOffset(1));
                assertArrayEquals(x2, x1, 0.0, "parts " + parts + ", round " + round + ": top-down start");
                double[] g1 = new double[x1.length];
                double[] g2 = new double[x2.length];
                for (int k = 0; k < 4; k++) {
                    held.stepFlow(x1, g1, null);
                    fresh.stepFlow(x2, g2, null);
                    assertArrayEquals(g2, g1, 0.0, "parts " + parts + ", round " + round + ": step " + k);
                    for (int i = 0; i < x1.length; i++) {
                        x1[i] += 0.1 * g1[i];
                        x2[i] += 0.1 * g2[i];
                    }
                }
                double e1 = held.energy(x1, null);
                double e2 = fresh.energy(x2, null);
                assertEquals(Double.doubleToRawLongBits(e2), Double.doubleToRawLongBits(e1), "energy, round " + round);
                assertArrayEquals(fresh.errors(1), held.errors(1), 0.0, "eps of layer 1, round " + round);
                held.retakeWeights();
                double[] w = h.weights(1);
                for (int i = 0; i < w.length; i++) {
                    w[i] = 0.8 * w[i] + 0.002;
                }
            }
        }
    }

    /**
     * One sample through an 8 x 128 {@code W}: fewer than 16 outputs, so no {@code W'} copy, but 1,024
     * multiply-adds, so a stepFlow reads the 32-byte aligned copy of {@code W} for the prediction and
     * the bottom-up term; the same kernels as a flow reading the hierarchy's array, so the same bits,
     * at the first stepFlow and at later ones.
     */
    @Test
    void oneSampleStepFlowOnTheAlignedCopyGivesTheFlowsBits() {
        Hierarchy h = Hierarchy.builder().layer(8, 1.0).layer(128, 0.5).activation(0, Activations.TANH)
                .weightInit(WeightInit.xavierUniform(), 5).build();
        boolean[] clamped = {true, false};
        SplittableRandom r = new SplittableRandom(6);
        double[] data = EnergyWorkspaceTest.random(r, 8);
        EnergyWorkspace full = new EnergyWorkspace(h, 1, clamped);
        EnergyWorkspace step = new EnergyWorkspace(h, 1, clamped);
        full.setClamped(0, data);
        step.setClamped(0, data);
        double[] x = EnergyWorkspaceTest.random(r, full.freeDimension());
        double[] g1 = new double[x.length];
        double[] g2 = new double[x.length];
        for (int k = 0; k < 3; k++) {
            double a = full.flow(x, g1, null);
            double b = step.stepFlow(x, g2, null);
            assertArrayEquals(g1, g2, 0.0, "dx/dt at stepFlow " + k);
            assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), "energy at stepFlow " + k);
            for (int i = 0; i < x.length; i++) {
                x[i] += 0.1 * g1[i];
            }
        }
    }
}
