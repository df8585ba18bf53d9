package org.fena.consolidation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.fena.dynamics.learning.TrainingSettings;
import org.fena.hierarchy.Hierarchy;
import org.junit.jupiter.api.Test;

class SleepTest {

    private final TrainingSettings s = Fixtures.settings(8);

    @Test
    void sleepWithNoStrategyLeavesWeightsUnchanged() {
        Hierarchy h = Fixtures.hierarchy(6, false, 3);
        double[][] before = Fixtures.weights(h);
        SleepReport r = Fixtures.sleep(List.of(), 50, 8, 1).run(h, s, Fixtures.buffer(40, 100, 2));
        double[][] after = Fixtures.weights(h);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], 0.0, "parameter array " + i);
        }
        assertTrue(r.energy().isEmpty());
    }

    @Test
    void aSleepIsReproducibleFromItsSeed() {
        double[][][] w = new double[3][][];
        long[] seeds = {11, 11, 12};
        for (int k = 0; k < 3; k++) {
            Hierarchy h = Fixtures.hierarchy(6, false, 3);
            List<SleepStrategy> st = List.of(new EpisodicReplay(), Fixtures.dreaming(),
                    new DownScaling(DownScaling.Mode.PER_UNIT, 1, 1.5, null), new FastToSlowTransfer(0.5));
            SleepReport r = Fixtures.sleep(st, 10, 8, seeds[k]).run(h, s, Fixtures.buffer(40, 100, 2));
            assertNotNull(r.dreams());
            w[k] = Fixtures.weights(h);
        }
        boolean differs = false;
        for (int i = 0; i < w[0].length; i++) {
            assertArrayEquals(w[0][i], w[1][i], 0.0, "same seed, parameter array " + i);
            differs |= !Arrays.equals(w[0][i], w[2][i]);
        }
        assertTrue(differs, "another seed must give another sleep");
    }

    @Test
    void downScalingPreservesTheRankingOfWeights() {
        Hierarchy h = Fixtures.hierarchy(6, false, 5);
        double[] w0 = h.weights(1).clone();
        new DownScaling(DownScaling.Mode.UNIFORM, 0.7, 1, null).apply(h);
        double[] w1 = h.weights(1);
        for (int i = 0; i < w0.length; i++) {
            assertEquals(0.7 * w0[i], w1[i], 1e-15);
            for (int j = 0; j < w0.length; j++) {
                assertEquals(Double.compare(w0[i], w0[j]), Double.compare(w1[i], w1[j]), "pair " + i + "," + j);
            }
        }
        // per unit: each unit's incoming weights keep their order and no weight grows
        Hierarchy g = Fixtures.hierarchy(6, false, 6);
        double[] v0 = g.weights(0).clone();
        new DownScaling(DownScaling.Mode.PER_UNIT, 1, 1.0, new int[] {0}).apply(g);
        double[] v1 = g.weights(0);
        int cols = g.dim(1);
        double[] norms = new double[g.dim(0)];
        for (int r = 0; r < g.dim(0); r++) {
            for (int a = 0; a < cols; a++) {
                int i = r * cols + a;
                assertTrue(Math.abs(v1[i]) <= Math.abs(v0[i]) + 1e-15);
                norms[r] += v1[i] * v1[i];
                for (int b = 0; b < cols; b++) {
                    int j = r * cols + b;
                    assertEquals(Double.compare(v0[i], v0[j]), Double.compare(v1[i], v1[j]));
                }
            }
        }
        // with level 1 every unit ends at the weakest unit's norm
        for (double n : norms) {
            assertEquals(Math.sqrt(norms[0]), Math.sqrt(n), 1e-12);
        }
    }

    @Test
    void fastToSlowTransferKeepsAFractionOfWhatWasLearntSinceTheLastSleep() {
        Hierarchy h = Fixtures.hierarchy(6, false, 7);
        FastToSlowTransfer t = new FastToSlowTransfer(0.25);
        Sleep sleep = Fixtures.sleep(List.of(t), 1, 8, 1);
        sleep.run(h, s, null);
        double[] slow = h.weights(1).clone();
        double[] learnt = slow.clone();
        for (int i = 0; i < learnt.length; i++) {
            learnt[i] += 1.0 + i;
        }
        System.arraycopy(learnt, 0, h.weights(1), 0, learnt.length);
        sleep.run(h, s, null);
        for (int i = 0; i < slow.length; i++) {
            assertEquals(slow[i] + 0.25 * (1.0 + i), h.weights(1)[i], 1e-12);
        }
    }

    @Test
    void theReservoirHoldsAUniformSampleOfEverythingOfferedAndExactClassStatistics() {
        EpisodicBuffer b = new EpisodicBuffer(200, 1, 2, 9);
        double[] x = new double[1];
        double sum1 = 0;
        int n1 = 0;
        for (int i = 0; i < 4000; i++) {
            x[0] = i;
            int label = i < 2000 ? 0 : 1;
            if (label == 1) {
                sum1 += i;
                n1++;
            }
            b.offer(x, 0, label);
        }
        assertEquals(200, b.size());
        assertEquals(4000, b.offered());
        int old = 0;
        double[] out = new double[1];
        for (int i = 0; i < b.size(); i++) {
            if (b.episode(i, out, 0) == 0) {
                old++;
                assertTrue(out[0] < 2000);
            }
        }
        // binomial(200, 1/2): 3.5 standard deviations is 25
        assertTrue(Math.abs(old - 100) <= 25, "episodes of the first half: " + old);
        assertEquals(sum1 / n1, b.classMean(1)[0], 1e-9);
        assertEquals((2000.0 * 2000 - 1) / 12, b.classVariance(1)[0], 1e-6);
        assertFalse(b.seen(0) == 0);
    }

    @Test
    void replayOnAToyTaskRaisesAccuracyLostToInterference() {
        // learn classes 0..2, then overwrite with a shuffled-label interference phase; replay restores
        Hierarchy h = Fixtures.hierarchy(8, false, 2);
        TrainingSettings ts = Fixtures.settings(8).withUpdate(org.fena.hierarchy.learning.UpdateRule.adam(), 1e-2)
                .withEpochs(1);
        org.fena.dynamics.data.LabelledData data = Fixtures.data(240, 4);
        org.fena.dynamics.learning.PcTrainer t = new org.fena.dynamics.learning.PcTrainer(h, ts);
        for (int e = 0; e < 15; e++) {
            t.trainEpoch(data);
        }
        org.fena.dynamics.data.LabelledData test = Fixtures.data(120, 8);
        double learnt = t.evaluate(test).accuracy(test.labels());
        org.fena.dynamics.learning.PcTrainer noise = new org.fena.dynamics.learning.PcTrainer(h, ts.withSeed(3));
        for (int e = 0; e < 5; e++) {
            noise.trainEpoch(data.withShuffledLabels(5 + e));
        }
        double damaged = t.evaluate(test).accuracy(test.labels());
        EpisodicBuffer b = new EpisodicBuffer(60, Fixtures.DIM, Fixtures.CLASSES, 1);
        b.offerAll(data);
        Fixtures.sleep(List.of(new EpisodicReplay()), 150, 8, 1).run(h, ts, b);
        double slept = t.evaluate(test).accuracy(test.labels());
        assertTrue(learnt > 0.9, "learnt " + learnt);
        assertTrue(slept > damaged + 0.1 && slept > 0.9, "damaged " + damaged + ", after replay " + slept);
    }

    @Test
    void dreamedCausesWithoutSpreadAreTheClassMeansOfTheBuffer() {
        Hierarchy h = Fixtures.hierarchy(6, false, 3);
        EpisodicBuffer b = Fixtures.buffer(40, 100, 2);
        GenerativeReplay dream = Fixtures.meanDreams();
        SleepReport r = Fixtures.sleep(List.of(dream), 3, 8, 5).run(h, s, b);
        assertEquals(3, r.energy().size());
        for (int i = 0; i < r.dreamLabels().length; i++) {
            assertArrayEquals(b.classMean(r.dreamLabels()[i]),
                    Arrays.copyOfRange(r.dreams(), i * Fixtures.DIM, (i + 1) * Fixtures.DIM), 1e-12);
        }
    }
}
